/**
 * The inspection server end to end: real actors, a real `ws` client on loopback.
 */
import { createHook } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import {
  type InspectionServer,
  type InspectionServerOptions,
  REDACTED,
  UNSERIALIZABLE,
  createInspectionServer,
  truncatedMarker,
} from '../../../supervisor/inspect/index.ts';
import { T0, clockAtT0, fakeFundMachine, fundInput } from './fund-fixture.ts';
import { type Frame, counterMachine, record, sleep, waitUntil } from './support.ts';

const CANARY = 'canary-KRAKEN-SECRET-8f2d1c77e0b4';
const CANARY_TOKEN = '123456:canary-telegram-token-zz9';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(options: Partial<InspectionServerOptions> = {}): Promise<InspectionServer> {
  const r = await createInspectionServer({ port: 0, secrets: [], ...options });
  if (!r.ok) throw new Error(r.reason);
  cleanups.push(() => r.server.close());
  return r.server;
}

const actorFrames = (frames: Frame[]): Frame[] => frames.filter((f) => f.type === '@xstate.actor');
const snapshotsOf = (frames: Frame[], sessionId: string): Frame[] =>
  frames.filter((f) => f.type === '@xstate.snapshot' && f.sessionId === sessionId);

describe('inspection server with the fund machine', () => {
  it('streams the fund, its phases and its children, then operator events', async () => {
    const server = await startServer();
    const client = await record(server.url);
    const fund = createActor(fakeFundMachine, { input: fundInput, clock: clockAtT0(), inspect: server.inspect });
    cleanups.push(() => void fund.stop());
    fund.start();
    await waitUntil(() => fund.getSnapshot().matches('running'));
    fund.send({ type: 'operator.pause', nowMs: T0 + 1000 });

    const paused = await client.waitFor(
      (f) => f.type === '@xstate.snapshot' && f.sessionId === fund.sessionId && f.event.type === 'operator.pause',
    );
    expect(paused.snapshot.value).toMatchObject({ running: { trading: 'paused' } });
    expect(paused.snapshot.context.pausedByOperator).toBe(true);
    expect(paused.rootId).toBe(fund.sessionId);

    const actors = actorFrames(client.frames);
    expect(actors.map((f) => f.name)).toEqual(['fund', 'boot', 'restore', 'reconcile', 'symbol:BTC/USD', 'orchestrator', 'scheduler']);
    const root = actors[0]!;
    expect(root.sessionId).toBe(fund.sessionId);
    expect(root.parentId).toBeUndefined();
    expect(JSON.parse(root.definition)).toMatchObject({ id: 'fund', initial: 'booting' });
    for (const child of actors.slice(1)) {
      expect(child.parentId).toBe(fund.sessionId);
      expect(child.rootId).toBe(fund.sessionId);
    }
    const event = client.frames.find((f) => f.type === '@xstate.event' && f.event.type === 'operator.pause');
    expect(event).toMatchObject({ sessionId: fund.sessionId, event: { type: 'operator.pause', nowMs: T0 + 1000 } });
    expect(event!.sourceId).toBeUndefined();
    // A phase actor's result is an event from the child to the fund.
    const boot = actors.find((f) => f.name === 'boot')!;
    expect(client.frames.find((f) => f.type === '@xstate.event' && f.event.type === 'xstate.done.actor.boot')).toMatchObject({
      sessionId: fund.sessionId,
      sourceId: boot.sessionId,
    });
  });
});

describe('late joiners', () => {
  it('get every live actor with its latest snapshot first, then live frames', async () => {
    const server = await startServer();
    const counter = createActor(counterMachine, { input: undefined, inspect: server.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    counter.send({ type: 'inc', by: 3 });
    counter.send({ type: 'spawn' });
    counter.send({ type: 'stopKid' }); // this kid is gone
    counter.send({ type: 'spawn' }); // this one lives
    counter.send({ type: 'fetch', value: 'v' }); // the promise actor finishes
    await waitUntil(() => counter.getSnapshot().matches('idle') && counter.getSnapshot().context.fetched === 'v');
    counter.send({ type: 'inc', by: 4 });

    const late = await record(server.url);
    await waitUntil(() => late.frames.length >= 2);
    const kid = counter.getSnapshot().children.kid!;
    expect(late.frames.slice(0, 2).map((f) => [f.type, f.name, f.sessionId])).toEqual([
      ['@xstate.actor', 'counter', counter.sessionId],
      ['@xstate.actor', 'kid', kid.sessionId],
    ]);
    expect(late.frames[0]!.snapshot).toMatchObject({ status: 'active', value: 'idle', context: { count: 7, fetched: 'v' } });
    expect(late.frames[1]!.parentId).toBe(counter.sessionId);

    counter.send({ type: 'inc', by: 1 });
    const live = await late.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');
    expect(live.snapshot.context.count).toBe(8);
    expect(actorFrames(late.frames)).toHaveLength(2); // nothing else was replayed
  });

  it('attach() inspects a system that is already running', async () => {
    const server = await startServer();
    const counter = createActor(counterMachine, { input: undefined });
    cleanups.push(() => void counter.stop());
    counter.start();
    counter.send({ type: 'spawn' });
    counter.send({ type: 'inc', by: 2 });
    const subscription = server.attach(counter);
    const client = await record(server.url);
    await waitUntil(() => client.frames.length >= 2);
    expect(client.frames.slice(0, 2).map((f) => f.name)).toEqual(['counter', 'kid']);
    counter.send({ type: 'inc', by: 1 });
    const live = await client.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');
    expect(live.snapshot.context.count).toBe(3);
    subscription.unsubscribe();
    counter.send({ type: 'inc', by: 1 });
    await sleep(30);
    expect(client.frames.filter((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc')).toHaveLength(1);
  });
});

describe('sanitisation on the wire', () => {
  it('never sends a canary secret placed in input, events, context, errors or keys', async () => {
    const server = await startServer({ secrets: [CANARY, CANARY_TOKEN] });
    const client = await record(server.url);
    const leaky = counterMachine.provide({
      actors: {
        fetcher: fromPromise<unknown, { value: unknown }>(async () => {
          throw new Error(`venue said: bad key ${CANARY}`);
        }),
      },
    });
    const counter = createActor(leaky, { input: { data: { apiKey: CANARY, note: `token ${CANARY_TOKEN}` } }, inspect: server.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    counter.send({ type: 'set', data: { kraken: { apiSecret: 'x', url: `https://k/?s=${encodeURIComponent(CANARY_TOKEN)}` }, [CANARY]: 1 } });
    counter.send({ type: 'set', data: `free text with ${CANARY} inside` });
    counter.send({ type: 'fetch', value: CANARY });
    await waitUntil(() => counter.getSnapshot().context.fetched instanceof Error);
    counter.send({ type: 'inc', by: 1 });
    await client.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');

    const wire = client.texts.join('\n');
    for (const secret of [CANARY, CANARY_TOKEN]) {
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) expect(wire).not.toContain(form);
    }
    expect(wire).toContain(REDACTED);
    const last = snapshotsOf(client.frames, counter.sessionId).at(-1)!;
    expect(last.snapshot.context.fetched).toEqual({ name: 'Error', message: `venue said: bad key ${REDACTED}` });
    const firstSet = client.frames.find((f) => f.type === '@xstate.event' && f.event.type === 'set')!;
    expect(firstSet.event.data).toEqual({ kraken: { apiSecret: REDACTED, url: `https://k/?s=${REDACTED}` }, [REDACTED]: 1 });
    const init = client.frames.find((f) => f.type === '@xstate.event' && f.event.type === 'xstate.init' && f.sessionId === counter.sessionId);
    expect(init!.event.input.data).toEqual({ apiKey: REDACTED, note: `token ${REDACTED}` });
  });

  it('refuses a frame rather than send broken JSON when a secret spans its structure', async () => {
    const spanning = 'abcd":"efgh'; // appears only in the JSON text of {"abcd":"efgh"}
    const server = await startServer({ secrets: [spanning] });
    const client = await record(server.url);
    const counter = createActor(counterMachine, { input: undefined, inspect: server.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    counter.send({ type: 'set', data: { abcd: 'efgh' } }); // its event and snapshot frames are refused
    counter.send({ type: 'set', data: 'clean' });
    counter.send({ type: 'inc', by: 1 });
    const after = await client.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');
    expect(after.snapshot.context).toMatchObject({ count: 1, data: 'clean' });
    expect(client.texts.join('\n')).not.toContain(spanning);
    const sets = client.frames.filter((f) => f.event?.type === 'set');
    expect(sets.map((f) => [f.type, f.event.data])).toEqual([
      ['@xstate.event', 'clean'],
      ['@xstate.snapshot', 'clean'],
    ]);
    expect(server.stats().lastError).toMatch(/refused: a secret spans its JSON structure/);
  });

  it('truncates a huge context field and keeps the rest', async () => {
    const maxContextBytes = 4096;
    const server = await startServer({ maxContextBytes });
    const client = await record(server.url);
    const counter = createActor(counterMachine, { input: undefined, inspect: server.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    const candles = Array.from({ length: 20_000 }, (_, i) => ({ t: T0 + i * 300_000, o: '30000.1', c: '30000.2' }));
    counter.send({ type: 'set', data: candles });
    counter.send({ type: 'inc', by: 1 });
    const frame = await client.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');
    expect(frame.snapshot.context).toEqual({ count: 1, data: truncatedMarker(maxContextBytes), fetched: null });
    const setEvent = client.frames.find((f) => f.type === '@xstate.event' && f.event.type === 'set')!;
    expect(setEvent.event).toEqual({ type: 'set', data: truncatedMarker(maxContextBytes) });
    // No frame but the actor registration (which carries the machine definition) exceeds budget + envelope.
    for (const text of client.texts) if (!text.includes('"@xstate.actor"')) expect(text.length).toBeLessThan(2 * maxContextBytes + 2048);
  });
});

describe('containment', () => {
  it('hostile data and malformed inspection events never reach the actor system', async () => {
    const reported: string[] = [];
    const server = await startServer({ onError: (message, where) => void reported.push(`${where}: ${message}`) });
    const client = await record(server.url);
    const counter = createActor(counterMachine, { input: undefined, inspect: server.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    const hostile = {
      get boom(): never {
        throw new Error('getter exploded');
      },
      proxy: new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap exploded');
          },
        },
      ),
      toJSONBomb: {
        toJSON() {
          throw new Error('toJSON exploded');
        },
      },
    };
    counter.send({ type: 'set', data: hostile });
    counter.send({ type: 'inc', by: 1 });

    // Garbage straight into the observer: nothing throws.
    const badRef = {
      sessionId: 'x:bad',
      id: 'bad',
      getSnapshot() {
        throw new Error('getSnapshot exploded');
      },
    };
    expect(() => server.inspect(null as never)).not.toThrow();
    expect(() => server.inspect({ type: '@xstate.actor' } as never)).not.toThrow();
    expect(() => server.inspect({ type: '@xstate.actor', actorRef: badRef, rootId: 'x:bad' } as never)).not.toThrow();
    expect(() =>
      server.inspect({ type: '@xstate.snapshot', actorRef: badRef, rootId: 'x:bad', event: hostile, snapshot: hostile.proxy } as never),
    ).not.toThrow();

    const frame = await client.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');
    expect(frame.snapshot.context.count).toBe(1);
    expect(frame.snapshot.context.data).toEqual({ boom: UNSERIALIZABLE, proxy: UNSERIALIZABLE, toJSONBomb: UNSERIALIZABLE });
    counter.send({ type: 'inc', by: 1 });
    expect(counter.getSnapshot().status).toBe('active');
    expect(counter.getSnapshot().context.count).toBe(2);
    await waitUntil(() => server.stats().errors >= 2);
    expect(reported.some((r) => r.startsWith('observer: '))).toBe(true);

    // A late client's replay skips the broken actor and still shows the good one.
    const late = await record(server.url);
    const replayed = await late.waitFor((f) => f.type === '@xstate.actor' && f.sessionId === counter.sessionId);
    expect(replayed.snapshot.context.count).toBe(2);
  });
});

describe('shutdown', () => {
  it('close() ends every client and leaves no socket, server, timer or immediate behind', async () => {
    // Track every handle created from here on; each must be destroyed by the end.
    const watched = new Set(['TCPSERVERWRAP', 'TCPWRAP', 'Timeout', 'Immediate']);
    const live = new Map<number, string>();
    const created = new Set<string>();
    const hook = createHook({
      init(id, type) {
        if (!watched.has(type)) return;
        live.set(id, type);
        created.add(type);
      },
      destroy(id) {
        live.delete(id);
      },
    }).enable();
    try {
      const r = await createInspectionServer({ port: 0, secrets: [], heartbeatMs: 1000 });
      if (!r.ok) throw new Error(r.reason);
      const server = r.server;
      const a = await record(server.url);
      const b = await record(server.url);
      const counter = createActor(counterMachine, { input: undefined, inspect: server.inspect });
      counter.start();
      counter.send({ type: 'inc', by: 1 });
      await a.waitFor((f) => f.type === '@xstate.snapshot' && f.event.type === 'inc');
      const closedA = new Promise<number>((res) => a.ws.once('close', (code) => res(code)));
      await server.close();
      expect(await closedA).toBe(1001);
      await waitUntil(() => b.ws.readyState === b.ws.CLOSED);
      // The observer is inert after close: the actor keeps running without it.
      counter.send({ type: 'inc', by: 1 });
      expect(counter.getSnapshot().context.count).toBe(2);
      counter.stop();
      await server.close(); // idempotent
      const suspects = [...live.keys()]; // everything created so far (not the wait below)
      await sleep(50);
      expect(created).toEqual(watched); // the hook saw every kind (so an empty list below means something)
      expect(suspects.filter((id) => live.has(id)).map((id) => live.get(id))).toEqual([]);
      // The port is free again.
      const again = await createInspectionServer({ port: server.port, secrets: [] });
      expect(again.ok).toBe(true);
      if (again.ok) await again.server.close();
    } finally {
      hook.disable();
    }
  });
});
