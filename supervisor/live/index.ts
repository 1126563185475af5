/**
 * Live mode's composition root — the startup checks that must pass before real money is touched
 * (DESIGN.md §7; predecessor landmine L7: stale or invalid credentials left a "healthy" system
 * that could not trade):
 *
 * - a live venue never runs on a simulated clock (a sim/backtest clock with real orders is a
 *   startup error);
 * - both Kraken credentials are set;
 * - the account answers a private call (Balance) with these credentials.
 *
 * Live execution itself (orders with client ids persisted before sending, exchange-native
 * stop-loss/take-profit kept across restarts, reconciliation) lives in supervisor/execution; until
 * the runtime drives it, `brain start` refuses live mode with the reason instead of trading blind.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import { createKrakenClient, createKrakenRestClient, nonceStoreFrom } from '../../adapters/kraken/index.ts';
import type { BrainConfig } from '../config/index.ts';

/** Outcome of the live startup checks. */
export type LiveStartup = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Runs the checks (see module doc). Never throws; never puts a secret in the reason. */
export async function checkLiveStartup(config: BrainConfig, o: { readonly simulatedClock: boolean; readonly repos?: Repositories; readonly now?: () => number }): Promise<LiveStartup> {
  if (o.simulatedClock) return { ok: false, reason: 'live mode cannot run on a simulated clock: a live venue with simulated time would place real orders at fictitious times (use paper or sim mode)' };
  const { krakenApiKey, krakenApiSecret } = config.secrets;
  if (!krakenApiKey || !krakenApiSecret) {
    const missing = [krakenApiKey ? null : 'KRAKEN_API_KEY', krakenApiSecret ? null : 'KRAKEN_API_SECRET'].filter((x) => x !== null);
    return { ok: false, reason: `live mode needs ${missing.join(' and ')} in the environment (.env); paper mode needs neither` };
  }
  if (!o.repos) return { ok: false, reason: 'live mode needs the database (for durable nonces) before it can check the account' };
  const now = o.now ?? (() => Date.now());
  const rest = createKrakenRestClient({
    restUrl: config.kraken.restUrl,
    credentials: { apiKey: krakenApiKey, apiSecret: krakenApiSecret },
    nonceStore: nonceStoreFrom(o.repos.systemMeta, now),
    tier: config.kraken.tier,
  });
  const balances = await createKrakenClient({ rest }).fetchBalances();
  if (!balances.ok) {
    return { ok: false, reason: `Kraken refused the account check (Balance at ${config.kraken.restUrl}): ${balances.error.message} — fix the API key/secret or its permissions; the fund does not start without a working account` };
  }
  return { ok: false, reason: 'the account answers, but live execution is not wired into the runtime yet (issue #5): refusing to trade real money; use paper mode' };
}
