/**
 * What a web page imports (the captions page): the gateway client over the page's own WebSocket,
 * and the wire names it needs — nothing that reaches Node's crypto or the payload validators. The
 * `ws` package it names for Node is never called in a page (bundlers alias it away).
 */
export { GatewayClient, GatewayError } from './sdk/gateway.client.js';
export { browserSocket } from './sdk/socket.js';
export { EVENT_TYPES } from './wire/event-types.js';
export type * from './sdk/gateway.types.js';
export type { SessionConnection } from './sdk/session-connection.js';
