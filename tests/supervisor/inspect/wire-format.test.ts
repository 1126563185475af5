/**
 * Our frames against `@statelyai/inspect` 0.7.2 itself: the same actor is inspected at once by
 * the package's own WebSocket inspector (sending to a plain `ws` server) and by ours; the two
 * frame streams must be equal apart from `createdAt` (each side's clock). The package's own
 * `createWebSocketReceiver` must also accept our stream.
 */
import { createWebSocketInspector, createWebSocketReceiver, type StatelyInspectionEvent } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createActor } from 'xstate';
import { type InspectionServer, STATELY_INSPECT_VERSION, createInspectionServer } from '../../../supervisor/inspect/index.ts';
import { type Frame, counterMachine, record, sleep, waitUntil } from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(): Promise<InspectionServer> {
  const r = await createInspectionServer({ port: 0, secrets: [] });
  if (!r.ok) throw new Error(r.reason);
  cleanups.push(() => r.server.close());
  return r.server;
}

/** A plain ws server that records what the package's inspector sends it. */
async function packageSink(): Promise<{ url: string; frames: Frame[]; connected: Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const frames: Frame[] = [];
  const connected = new Promise<void>((r) =>
    wss.on('connection', (ws) => {
      ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame));
      r();
    }),
  );
  const address = wss.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { url: `ws://127.0.0.1:${address.port}`, frames, connected };
}

/** A frame without its clock, with its definition parsed (key order inside it is not meaningful). */
function normal(frame: Frame): Frame {
  const { createdAt, definition, ...rest } = frame;
  expect(typeof createdAt).toBe('string');
  expect(Number.isInteger(Number(createdAt))).toBe(true);
  return definition === undefined ? rest : { ...rest, definition: JSON.parse(definition as string) };
}

describe('wire format = @statelyai/inspect 0.7.2', () => {
  it('sends the same frames as the package for the same actor (actor, event, snapshot; child; promise)', async () => {
    const server = await startServer();
    const client = await record(server.url);
    const sink = await packageSink();
    const pkg = createWebSocketInspector({ url: sink.url, serializationDepthLimit: 100 });
    cleanups.push(() => pkg.stop());
    await sink.connected;

    const actor = createActor(counterMachine, {
      input: { data: { list: [1, 'two', { three: 3 }], flag: true, none: null } },
      inspect: (e) => {
        server.inspect(e);
        pkg.inspect.next?.(e);
      },
    });
    actor.start();
    await sleep(20);
    actor.send({ type: 'inc', by: 2 });
    actor.send({ type: 'set', data: { nested: { deep: ['x', 1.5, -3] }, when: 1767614400000 } });
    await sleep(20);
    actor.send({ type: 'spawn' });
    await sleep(20);
    actor.send({ type: 'fetch', value: { price: '30000.10', qty: 0.25 } });
    await sleep(20);
    actor.send({ type: 'stopKid' });
    await sleep(20);
    actor.stop();

    await waitUntil(() => sink.frames.length > 0 && client.frames.length >= sink.frames.length, 5000);
    await sleep(50);
    expect(client.frames.length).toBe(sink.frames.length);
    expect(client.frames.map(normal)).toEqual(sink.frames.map(normal));
    // The streams cover all three frame types, a child and a promise actor.
    const types = new Set(client.frames.map((f) => f.type));
    expect(types).toEqual(new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']));
    const names = client.frames.filter((f) => f.type === '@xstate.actor').map((f) => f.name);
    expect(names).toEqual(['counter', 'kid', 'fetcher']);
    expect(client.frames.every((f) => f._version === STATELY_INSPECT_VERSION && f.id === null)).toBe(true);
  });

  it("is read by the package's own createWebSocketReceiver", async () => {
    const server = await startServer();
    const received: StatelyInspectionEvent[] = [];
    const receiver = createWebSocketReceiver({ server: server.url });
    receiver.subscribe((e) => void received.push(e));
    await waitUntil(() => server.stats().clients.length === 1);
    await sleep(20); // the receiver attaches its message handler in onopen
    const actor = createActor(counterMachine, { input: undefined, inspect: server.inspect });
    actor.start();
    actor.send({ type: 'inc', by: 5 });
    const last = await waitUntil(() =>
      received.find((e) => e.type === '@xstate.snapshot' && (e.event as { type: string }).type === 'inc'),
    );
    expect(last.sessionId).toBe(actor.sessionId);
    expect((last as { snapshot: { context: { count: number } } }).snapshot.context.count).toBe(5);
    const registration = received.find((e) => e.type === '@xstate.actor');
    expect(registration).toMatchObject({ type: '@xstate.actor', name: 'counter', sessionId: actor.sessionId, rootId: actor.sessionId });
    expect(JSON.parse((registration as { definition: string }).definition)).toMatchObject({ id: 'counter', initial: 'idle' });
    actor.stop();
  });
});
