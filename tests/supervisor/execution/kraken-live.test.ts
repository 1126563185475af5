/**
 * `createKrakenLive` (supervisor/execution/kraken-live.ts) wired from brain.toml-shaped settings
 * against the fake exchange: signed REST with nonces persisted in the store, the executions feed
 * over the authenticated WebSocket, and the order service on top.
 */
import { afterEach, expect, it } from 'vitest';
import { type FakeKraken, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { createRepositories } from '../../../adapters/libsql/index.ts';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import { createKrakenLive, createOrderService } from '../../../supervisor/execution/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { waitFor } from '../../venue-conformance/harness.ts';
import { CANDLES, INTERVAL_MS } from '../../venue-conformance/script.ts';

let fake: FakeKraken | null = null;
const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await fake?.close();
  fake = null;
});

it('trades through the configured URLs and tier, with persisted nonces and WebSocket executions', async () => {
  fake = await startFakeKraken({
    markets: [{ pair: 'BTC/USD', candles: CANDLES.map((c) => ({ tsOpenMs: c.tsOpen, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })), intervalMinutes: 5 }],
    historyCandles: 0,
    spreadBps: 10,
    volume30dUsd: '250000',
  });
  fake.control.advanceTo(CANDLES[0]!.tsOpen + INTERVAL_MS - 1);
  const repos = createRepositories(freshStore().db);
  const live = createKrakenLive({ kraken: { restUrl: fake.restUrl, wsAuthUrl: fake.wsAuthUrl, tier: 'pro' }, ...fake.credentials[0]!, systemMeta: repos.systemMeta });
  live.ws.start();
  stops.push(() => live.ws.stop(), () => live.venue.close());
  await waitFor(() => fake!.control.requests({ endpoint: 'ws:subscribe' }).length === 1, 'the executions subscription');
  const orders = createOrderService({ venue: live.venue, repos, now: () => Date.now(), runtime: { sleep: async () => {}, random: () => 0.5 } }, { runId: 'kl' });
  const r = await orders.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: f('0.5'), purpose: 'entry', tag: 'K' });
  expect(r.kind).toBe('accepted');
  await waitFor(() => repos.orders.byClientOrderId('tb-kl-1')!.status === 'filled', 'the fill over the WebSocket');
  expect(toString(repos.orders.byClientOrderId('tb-kl-1')!.avgFillPrice!)).toBe('20010');
  expect(fake.control.requests({ endpoint: 'QueryOrders' })).toHaveLength(0); // the feed, not REST polling, reported it
  expect(repos.systemMeta.all().some((m) => m.key.startsWith('nonce:kraken:'))).toBe(true);
  orders.close();
});
