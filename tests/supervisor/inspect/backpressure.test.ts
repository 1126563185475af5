/**
 * Slow clients: the actor system never waits, a client's queue stays bounded (oldest frames
 * dropped), and a client that lost frames is resynchronised with the current actors once it
 * catches up. First against a controllable sink, then against a real paused TCP socket.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { type FrameSink, createInspectionHub, createInspectionServer } from '../../../supervisor/inspect/index.ts';
import { type Frame, counterMachine, record, sleep, waitUntil } from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A sink that completes sends only when told to. */
function stalledSink(): FrameSink & { texts: string[]; release(n?: number): number } {
  const texts: string[] = [];
  const pending: ((err?: Error) => void)[] = [];
  return {
    texts,
    bufferedAmount: 0,
    send(text, done) {
      texts.push(text);
      pending.push(done);
    },
    release(n = Number.POSITIVE_INFINITY) {
      let released = 0;
      while (pending.length > 0 && released < n) {
        pending.shift()!();
        released++;
      }
      return released;
    },
  };
}

describe('a stalled client (controllable sink)', () => {
  it('keeps its queue bounded, drops the oldest frames, then resynchronises to the present', async () => {
    const limits = { maxQueuedFrames: 50, maxQueuedBytes: 1_000_000, maxInFlightFrames: 4, maxSocketBufferedBytes: 1_000_000 };
    const hub = createInspectionHub({ channel: limits });
    cleanups.push(() => hub.close());
    const sink = stalledSink();
    const client = hub.connect(sink);
    const counter = createActor(counterMachine, { input: undefined, inspect: hub.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    for (let i = 0; i < 2000; i++) {
      counter.send({ type: 'inc', by: 1 });
      if (i % 100 === 0) await sleep(0);
    }
    await waitUntil(() => hub.stats().pendingEvents === 0);
    // The actor ran to the end without waiting on the client.
    expect(counter.getSnapshot().context.count).toBe(2000);
    const stalled = client.stats();
    expect(stalled.inFlightFrames).toBe(4);
    expect(sink.texts).toHaveLength(4); // nothing beyond the in-flight window reached the socket
    expect(stalled.queuedFrames).toBe(50);
    expect(stalled.droppedFrames).toBe(hub.stats().framesBuilt - 4 - 50);
    expect(stalled.droppedFrames).toBeGreaterThan(3000);

    // The client catches up: queued frames, then a fresh replay of the live actors.
    while (sink.release() > 0) await sleep(0);
    const frames = sink.texts.map((t) => JSON.parse(t) as Frame);
    expect(frames).toHaveLength(4 + 50 + 1);
    const resync = frames.at(-1)!;
    expect(resync).toMatchObject({ type: '@xstate.actor', name: 'counter', sessionId: counter.sessionId });
    expect(resync.snapshot.context.count).toBe(2000);
    expect(client.stats()).toMatchObject({ queuedFrames: 0, inFlightFrames: 0, resyncs: 1 });
  });

  it('bounds queued bytes as well as frames', async () => {
    const limits = { maxQueuedFrames: 10_000, maxQueuedBytes: 50_000, maxInFlightFrames: 1, maxSocketBufferedBytes: 1_000_000 };
    const hub = createInspectionHub({ channel: limits });
    cleanups.push(() => hub.close());
    const client = hub.connect(stalledSink());
    const counter = createActor(counterMachine, { input: undefined, inspect: hub.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    for (let i = 0; i < 200; i++) counter.send({ type: 'set', data: 'x'.repeat(2000) });
    await waitUntil(() => hub.stats().pendingEvents === 0);
    const s = client.stats();
    expect(s.queuedBytes).toBeLessThanOrEqual(50_000);
    expect(s.queuedBytes).toBeGreaterThan(40_000);
    expect(s.droppedFrames).toBeGreaterThan(0);
  });

  it('bounds the events waiting for serialization and counts the lost ones', async () => {
    const hub = createInspectionHub({ maxPendingEvents: 100 });
    cleanups.push(() => hub.close());
    const client = hub.connect(stalledSink());
    const counter = createActor(counterMachine, { input: undefined, inspect: hub.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    for (let i = 0; i < 500; i++) counter.send({ type: 'inc', by: 1 }); // one synchronous burst: no flush in between
    expect(hub.stats().pendingEvents).toBe(100);
    expect(hub.stats().lostEvents).toBe(3 + 2 * 500 - 100); // registration, init event + snapshot, then 2 per inc
    expect(client.stats().droppedFrames).toBe(hub.stats().lostEvents);
  });
});

describe('a slow client on a real socket', () => {
  it('does not grow memory without bound while its socket is paused, and catches up after', async () => {
    const limits = { maxQueuedFrames: 200, maxQueuedBytes: 512 * 1024, maxInFlightFrames: 8, maxSocketBufferedBytes: 256 * 1024 };
    const r = await createInspectionServer({ port: 0, secrets: [], channel: limits, maxContextBytes: 16_384 });
    if (!r.ok) throw new Error(r.reason);
    const server = r.server;
    cleanups.push(() => server.close());
    const slow = await record(server.url);
    const socket = (slow.ws as unknown as { _socket: Socket })._socket;
    socket.pause(); // the kernel buffers fill, then the server's writes stop completing

    const counter = createActor(counterMachine, { input: undefined, inspect: server.inspect });
    cleanups.push(() => void counter.stop());
    counter.start();
    const payload = 'p'.repeat(4000); // under maxStringLength (4096): kept whole
    let maxQueuedBytes = 0;
    let maxBuffered = 0;
    for (let i = 0; i < 4000; i++) {
      counter.send({ type: 'set', data: `${i}:${payload}` });
      if (i % 50 === 0) {
        await sleep(1);
        const c = server.stats().clients[0]!;
        maxQueuedBytes = Math.max(maxQueuedBytes, c.queuedBytes);
        maxBuffered = Math.max(maxBuffered, c.bufferedAmount);
      }
    }
    counter.send({ type: 'inc', by: 41 });
    await waitUntil(() => server.stats().pendingEvents === 0);
    const stalled = server.stats().clients[0]!;
    // ~4000 × 2 frames of 4–8 KB (≈ 50 MB) were produced; what is held stays within the bounds.
    expect(server.stats().framesBuilt).toBeGreaterThan(8000);
    expect(stalled.droppedFrames).toBeGreaterThan(1000);
    expect(maxQueuedBytes).toBeLessThanOrEqual(limits.maxQueuedBytes);
    const largestFrame = 2 * 16_384 + 4096; // event + context budgets plus the envelope
    expect(maxBuffered).toBeLessThanOrEqual(limits.maxSocketBufferedBytes + limits.maxInFlightFrames * largestFrame);

    socket.resume();
    // After catching up the client is resynchronised with the present state.
    const fresh = await slow.waitFor(
      (f) => f.type === '@xstate.actor' && f.sessionId === counter.sessionId && f.snapshot.context.count === 41,
      15_000,
    );
    expect(fresh.snapshot.context.data).toBe(`3999:${payload}`);
    await waitUntil(() => server.stats().clients[0]!.queuedFrames === 0 && server.stats().clients[0]!.inFlightFrames === 0);
  }, 30_000);
});
