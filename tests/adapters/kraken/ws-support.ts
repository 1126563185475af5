/**
 * A loopback WebSocket server speaking enough Kraken WS v2 for the client tests: status on
 * connect, one ack per subscribed symbol, pong; the test scripts everything else. Upgrades can
 * be refused (HTTP 503) to simulate an unreachable exchange.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { fixture } from './support.ts';

/** A request the client sent (decoded JSON). */
export interface ClientRequest {
  readonly method: string;
  readonly params?: { readonly channel?: string; readonly symbol?: readonly string[]; readonly [k: string]: unknown };
  readonly req_id?: number;
}

/** One accepted connection. */
export interface ServerConn {
  readonly socket: WebSocket;
  readonly received: ClientRequest[];
  send(text: string): void;
}

/** The loopback server. */
export interface WsLoopback {
  readonly url: string;
  /** When false, upgrades are answered with HTTP 503. */
  accept: boolean;
  /** When false, the server does not send the `status` message on connect. */
  greet: boolean;
  /** Called for every client request after the default handling. */
  onRequest: (conn: ServerConn, req: ClientRequest) => void;
  readonly connections: ServerConn[];
  rejected: number;
  /** Every request any connection received. */
  all(): ClientRequest[];
  close(): Promise<void>;
}

/** Starts a loopback server on 127.0.0.1:0. */
export async function startWs(): Promise<WsLoopback> {
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const state: WsLoopback = {
    url: '',
    accept: true,
    greet: true,
    onRequest: () => {},
    connections: [],
    rejected: 0,
    all: () => state.connections.flatMap((c) => c.received),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of state.connections) c.socket.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  http.on('upgrade', (req, socket, head) => {
    if (!state.accept) {
      state.rejected += 1;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: ServerConn = {
        socket: ws,
        received: [],
        send: (text) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
        },
      };
      state.connections.push(conn);
      ws.on('message', (data) => {
        let req: ClientRequest;
        try {
          req = JSON.parse(data.toString()) as ClientRequest;
        } catch {
          return;
        }
        conn.received.push(req);
        if (req.method === 'ping') conn.send(JSON.stringify({ method: 'pong', req_id: req.req_id, time_in: '2023-09-24T14:10:23.799685Z', time_out: '2023-09-24T14:10:23.799703Z' }));
        if (req.method === 'subscribe' || req.method === 'unsubscribe') {
          const channel = req.params?.channel;
          for (const symbol of req.params?.symbol ?? [undefined]) {
            conn.send(JSON.stringify({ method: req.method, result: { channel, ...(symbol ? { symbol } : {}) }, success: true, req_id: req.req_id, time_in: '2023-10-06T17:35:55.219022Z', time_out: '2023-10-06T17:35:55.219067Z' }));
          }
        }
        state.onRequest(conn, req);
      });
      if (state.greet) conn.send(fixture('ws_status.json'));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  (state as { url: string }).url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v2`;
  return state;
}
