import { describe, expect, it } from 'vitest';
import { FakeKrakenOptionsError, defaultCredential, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { SOL_PATH, WsClient, priv, privRaw, settle, startWithFixtures } from './support.ts';

// Server lifecycle: start, real-time driver, determinism, option validation, and a clean close().

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

describe('close()', () => {
  it('leaves no open handles: sockets, timers and held replies are all released', async () => {
    const before = handles();
    const k = await startWithFixtures({ speed: 1, heartbeatMs: 20 });
    const pubWs = await WsClient.connect(k.wsUrl);
    const privWs = await WsClient.connect(k.wsAuthUrl);
    pubWs.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'] } });
    await pubWs.take((j) => j.channel === 'book');
    await priv(k, 'Balance');
    k.control.delayReplies({ delayMs: null, methods: ['Balance'] }); // held until close
    const held = privRaw(k, 'Balance').catch((err: unknown) => err);
    await settle(50);
    expect(k.control.requests({ endpoint: 'Balance' })).toHaveLength(2);
    const during = handles();
    // The measurement sees what the exchange holds: a listening server, sockets and its timers.
    expect(during.TCPServerWrap ?? 0).toBeGreaterThan(before.TCPServerWrap ?? 0);
    expect(during.TCPSocketWrap ?? 0).toBeGreaterThan(before.TCPSocketWrap ?? 0);
    expect(during.Timeout ?? 0).toBeGreaterThan(before.Timeout ?? 0);

    await k.close();
    await k.close(); // idempotent
    expect(await held).toBeInstanceOf(Error); // the held reply was cut, not left hanging
    await Promise.all([pubWs.waitClosed(), privWs.waitClosed()]);
    // Sockets close asynchronously on the client side; give them a moment, then compare.
    // (The test runner's own timers come and go, so timers may only go down, never up.)
    const settled = (h: Record<string, number>): boolean =>
      (h.TCPServerWrap ?? 0) <= (before.TCPServerWrap ?? 0) && (h.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0) && (h.Timeout ?? 0) <= (before.Timeout ?? 0);
    const deadline = Date.now() + 2000;
    let after = handles();
    while (Date.now() < deadline && !settled(after)) {
      await settle(25);
      after = handles();
    }
    expect(after.TCPServerWrap ?? 0).toBeLessThanOrEqual(before.TCPServerWrap ?? 0);
    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.TCPSocketWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    await expect(fetch(`${k.restUrl}/0/public/Time`)).rejects.toThrow();
  });
});

describe('clock', () => {
  it('advances on its own at `speed` × real time, and stops at speed 0', async () => {
    const k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3, speed: 3000, realtimeStepMs: 10 });
    try {
      const t0 = k.control.now();
      await settle(120);
      const t1 = k.control.now();
      expect(t1 - t0).toBeGreaterThanOrEqual(3000 * 60); // at least ~60 ms of the 120 ms were driven
      k.control.setSpeed(0);
      await settle(60);
      const t2 = k.control.now();
      await settle(60);
      expect(k.control.now()).toBe(t2);
    } finally {
      await k.close();
    }
  });

  it('step() walks the replayed trades and returns null at the end of the data', async () => {
    const k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3 });
    try {
      const times: number[] = [];
      for (let t = k.control.step(); t !== null; t = k.control.step()) times.push(t);
      // 5 replayed candles × 4 trades, minus the first trade (already at the start): 19 steps of 75 s.
      expect(times).toHaveLength(19);
      expect(times.every((t, i) => i === 0 || t - times[i - 1]! === 75_000)).toBe(true);
      expect(k.control.lastPrice('SOLUSD')).toBe('95.50');
    } finally {
      await k.close();
    }
  });

  it('refuses to go back in time', async () => {
    const k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3 });
    try {
      expect(() => k.control.advanceTo(k.control.now() - 1)).toThrow(/cannot move the clock back/);
      expect(() => k.control.advance(-5)).toThrow(RangeError);
    } finally {
      await k.close();
    }
  });
});

describe('determinism', () => {
  it('the same seed and requests give the same ids', async () => {
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3, seed: 42 });
      try {
        const a = await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'market', volume: '1' });
        ids.push([a.result.txid[0], k.control.trades()[0]!.txid, k.credentials[0]!.apiKey]);
      } finally {
        await k.close();
      }
    }
    expect(ids[0]).toEqual(ids[1]);
    expect(ids[0]![2]).toBe(defaultCredential(42).apiKey);
  });
});

describe('options', () => {
  it('reports every problem at once, naming the option, the value and what is allowed', async () => {
    const err = await startFakeKraken({
      markets: [
        { pair: 'DOGE/USD', candles: SOL_PATH },
        { pair: 'SOL/USD', candles: '/nonexistent/file.csv.gz' },
      ],
      speed: -1,
      spreadBps: 0,
      limitFillRule: 'sometimes' as 'touch',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FakeKrakenOptionsError);
    const problems = (err as FakeKrakenOptionsError).problems;
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^markets\[0\]\.pair = "DOGE\/USD"; allowed: BTC\/USD, ETH\/USD, SOL\/USD/);
    expect(problems[1]).toMatch(/^markets\[1\]\.candles: .*nonexistent/);
    expect(problems.join('\n')).toMatch(/speed = -1; allowed/);
    expect(problems.join('\n')).toMatch(/spreadBps = 0; allowed/);
    expect(problems.join('\n')).toMatch(/limitFillRule = "sometimes"; allowed: through, touch/);
  });

  it('needs at least one market', async () => {
    await expect(startFakeKraken({ markets: [] })).rejects.toThrow(/markets: at least one/);
  });
});
