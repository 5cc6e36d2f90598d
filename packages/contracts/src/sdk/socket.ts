import WebSocket from 'ws';

/**
 * The little of a WebSocket a session connection uses, over Node's `ws` (which can send the API key
 * as a header) or the browser's own WebSocket (which cannot: the key goes as the `token` query
 * parameter instead).
 */
export interface SessionSocket {
  onOpen(listener: () => void): void;
  onError(listener: (error: unknown) => void): void;
  onClose(listener: (code: number, reason: string) => void): void;
  /** Text frames as strings; binary frames are not delivered (the gateway sends none). */
  onText(listener: (text: string) => void): void;
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  /** Drops the connection without a close handshake (a network failure). */
  terminate(): void;
}

export type SocketFactory = (url: URL, apiKey: string, headers: Record<string, string>) => SessionSocket;

/** Node: the `ws` package, the key in a header. */
export const nodeSocket: SocketFactory = (url, _apiKey, headers) => {
  const ws = new WebSocket(url, { headers });
  return {
    onOpen: (listener) => void ws.once('open', listener),
    onError: (listener) => void ws.on('error', listener),
    onClose: (listener) => void ws.once('close', (code, reason) => listener(code, reason.toString())),
    onText: (listener) =>
      void ws.on('message', (data, isBinary) => {
        if (!isBinary) listener(data.toString());
      }),
    send: (data) => ws.send(data, { binary: typeof data !== 'string' }),
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
  };
};

/** Browsers: the page's WebSocket, the key as the `token` query parameter. */
export const browserSocket: SocketFactory = (url, apiKey) => {
  const withToken = new URL(url);
  withToken.searchParams.set('token', apiKey);
  const ws = new globalThis.WebSocket(withToken);
  ws.binaryType = 'arraybuffer';
  return {
    onOpen: (listener) => ws.addEventListener('open', () => listener(), { once: true }),
    onError: (listener) => ws.addEventListener('error', (event) => listener(event)),
    onClose: (listener) =>
      ws.addEventListener('close', (event) => listener(event.code, event.reason), { once: true }),
    onText: (listener) =>
      ws.addEventListener('message', (event) => {
        if (typeof event.data === 'string') listener(event.data);
      }),
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    // A page cannot cut a socket without a handshake; closing it with "going away" comes closest.
    terminate: () => ws.close(4000, 'dropped'),
  };
};

/** The browser's socket in a page, Node's `ws` elsewhere (Node 20 has no WebSocket global). */
export function defaultSocketFactory(): SocketFactory {
  const page = (globalThis as { document?: unknown }).document !== undefined;
  return page && typeof globalThis.WebSocket === 'function' ? browserSocket : nodeSocket;
}
