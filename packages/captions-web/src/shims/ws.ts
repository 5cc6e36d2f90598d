/** Stands in for Node's `ws` in the page bundle: the SDK uses the page's WebSocket there. */
export default class NodeOnlyWebSocket {
  constructor() {
    throw new Error('the ws package is for Node; a page uses its own WebSocket');
  }
}
