/**
 * Helpers for the inspection tests: a recording WebSocket client, polling waits, and a small
 * machine that exercises every kind of inspection event (a spawned child, an invoked promise,
 * context updates with arbitrary payloads).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';
import { assign, fromPromise, setup, spawnChild, stopChild } from 'xstate';

/** A parsed frame (loosely typed: the tests check the shape). */
export type Frame = Record<string, any>;

export interface Recorder {
  readonly ws: WebSocket;
  /** Raw texts in arrival order. */
  readonly texts: string[];
  /** Parsed frames in arrival order. */
  readonly frames: Frame[];
  /** Resolves with the first frame (from the start) matching, or rejects after `timeoutMs`. */
  waitFor(match: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Closes the socket and waits for the close. */
  close(): Promise<void>;
}

/** Connects a recording client; rejects with the HTTP status on a refused upgrade. */
export function record(url: string, headers: IncomingHttpHeaders = {}): Promise<Recorder> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: headers as Record<string, string> });
    const texts: string[] = [];
    const frames: Frame[] = [];
    ws.on('message', (data) => {
      const text = String(data);
      texts.push(text);
      frames.push(JSON.parse(text) as Frame);
    });
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused: ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      resolve({
        ws,
        texts,
        frames,
        waitFor: (match, timeoutMs = 5000) => waitUntil(() => frames.find(match), timeoutMs),
        close: () =>
          new Promise<void>((done) => {
            if (ws.readyState === WebSocket.CLOSED) return done();
            ws.once('close', () => done());
            ws.close();
          }),
      });
    });
  });
}

/** Polls `probe` every 5 ms until it returns something other than undefined/false. */
export async function waitUntil<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`waitUntil: condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A child machine spawned by {@link counterMachine}. */
export const kidMachine = setup({}).createMachine({
  id: 'kid',
  initial: 'idle',
  states: { idle: { on: { ping: 'pinged' } }, pinged: {} },
});

export interface CounterContext {
  count: number;
  data: unknown;
  fetched: unknown;
}

export type CounterEvent =
  | { type: 'inc'; by: number }
  | { type: 'set'; data: unknown }
  | { type: 'spawn' }
  | { type: 'stopKid' }
  | { type: 'fetch'; value: unknown };

/**
 * A counter: `inc` adds, `set` stores any payload in context, `spawn`/`stopKid` start and stop a
 * child machine, `fetch` invokes a promise actor that resolves with the event's value (its
 * error, when a provided fetcher rejects, is stored in `fetched`).
 */
export const counterMachine = setup({
  types: {} as { context: CounterContext; events: CounterEvent; input: { data?: unknown } | undefined },
  actors: {
    kid: kidMachine,
    fetcher: fromPromise<unknown, { value: unknown }>(async ({ input }) => input.value),
  },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({ count: 0, data: input?.data ?? null, fetched: null }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        inc: { actions: assign({ count: ({ context, event }) => context.count + event.by }) },
        set: { actions: assign({ data: ({ event }) => event.data }) },
        spawn: { actions: spawnChild('kid', { id: 'kid' }) },
        stopKid: { actions: stopChild('kid') },
        fetch: 'loading',
      },
    },
    loading: {
      invoke: {
        id: 'fetcher',
        src: 'fetcher',
        input: ({ event }) => ({ value: (event as { value?: unknown }).value }),
        onDone: { target: 'idle', actions: assign({ fetched: ({ event }) => event.output }) },
        onError: { target: 'idle', actions: assign({ fetched: ({ event }) => event.error }) },
      },
    },
  },
});
