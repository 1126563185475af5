import { fraction, integer, oneOf, section, symbolList, text } from '../fields.ts';

/** `[kraken]`: endpoints (pointable at the fake exchange) and fee fallbacks. */
export const kraken = section(
  'Kraken endpoints and fee fallbacks. Point the URLs at any Kraken-compatible server (the offline demo uses a loopback fake).',
  {
    rest_url: text({ default: 'https://api.kraken.com', format: 'httpUrl', doc: 'REST base URL (public /0/public/*, private /0/private/*).' }),
    ws_url: text({ default: 'wss://ws.kraken.com/v2', format: 'wsUrl', doc: 'Public WebSocket v2 URL (ticker, ohlc, book, status).' }),
    ws_auth_url: text({
      default: 'wss://ws-auth.kraken.com/v2',
      format: 'wsUrl',
      doc: 'Authenticated WebSocket v2 URL (executions, balances, order methods).',
    }),
    tier: oneOf({
      values: ['starter', 'intermediate', 'pro'],
      default: 'starter',
      doc: 'Kraken account verification tier; sets the client-side REST call-counter model (starter: max 15, decay 0.33/s; intermediate: 20, 0.5/s; pro: 20, 1/s). Fee rates come from TradeVolume, not from this key.',
    }),
    maker_fee_pct: fraction({
      default: 0.0025,
      min: 0,
      minExclusive: false,
      max: 0.05,
      doc: 'Maker fee as a fraction of order value (0.0025 = 0.25%), used until the per-pair fee is fetched. Not percent units.',
    }),
    taker_fee_pct: fraction({
      default: 0.004,
      min: 0,
      minExclusive: false,
      max: 0.05,
      doc: 'Taker fee as a fraction of order value (0.004 = 0.40%), used until the per-pair fee is fetched. Not percent units.',
    }),
  },
);

/** `[fees]`: the fee-tier refresh. */
export const fees = section('Fee-tier refresh from Kraken (TradeVolume; needs the Kraken keys).', {
  check_interval_hours: integer({ default: 24, min: 1, max: 168, doc: 'Hours between fee-tier refreshes.' }),
});

/** `[markets]`: what the fund trades. */
export const markets = section('What the fund trades.', {
  symbols: symbolList({
    default: ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'DOGE/USD', 'ADA/USD', 'LINK/USD', 'AVAX/USD', 'DOT/USD'],
    minItems: 1,
    maxItems: 12,
    doc: 'Spot pairs traded long-only, in Kraken WebSocket v2 names. One symbol actor runs per pair.',
  }),
});
