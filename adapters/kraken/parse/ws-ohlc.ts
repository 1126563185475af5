/**
 * Parser for WS v2 `ohlc` data elements (kraken.md §11 ohlc). Each update carries the WHOLE
 * running candle for its `interval_begin`; there is no close message. Pure.
 */
import type { Fixed } from '../../../domain/money/index.ts';
import type { Json } from '../json.ts';
import { checkOhlc, OHLC_INTERVALS } from './ohlc.ts';
import { at, count, fail, field, nonNegative, obj, opt, positive, rfc3339Ms, text } from './read.ts';

/** One candle as the WS sends it; `intervalBeginMs` is the candle START, `intervalMin` its length. */
export interface WsCandle {
  readonly symbol: string;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly vwap: Fixed;
  /** Base units. */
  readonly volume: Fixed;
  readonly trades: number;
  readonly intervalBeginMs: number;
  readonly intervalMin: number;
}

/** One ohlc element; the candle start must lie on its interval boundary. */
export function parseWsCandle(value: Json, path: string): WsCandle {
  const o = obj(value, path);
  const intervalMin = count(field(o, 'interval', path), at(path, 'interval'));
  if (!(OHLC_INTERVALS as readonly number[]).includes(intervalMin)) fail(at(path, 'interval'), `interval must be one of ${OHLC_INTERVALS.join(', ')}, got ${intervalMin}`);
  const begin = rfc3339Ms(field(o, 'interval_begin', path), at(path, 'interval_begin'));
  if (begin % (intervalMin * 60_000) !== 0) fail(at(path, 'interval_begin'), `candle start is not on a ${intervalMin}-minute boundary`);
  const trades = opt(o, 'trades');
  const candle: WsCandle = {
    symbol: text(field(o, 'symbol', path), at(path, 'symbol'), 64),
    open: positive(field(o, 'open', path), at(path, 'open')),
    high: positive(field(o, 'high', path), at(path, 'high')),
    low: positive(field(o, 'low', path), at(path, 'low')),
    close: positive(field(o, 'close', path), at(path, 'close')),
    vwap: nonNegative(field(o, 'vwap', path), at(path, 'vwap')),
    volume: nonNegative(field(o, 'volume', path), at(path, 'volume')),
    trades: trades === undefined ? 0 : count(trades, at(path, 'trades')),
    intervalBeginMs: begin,
    intervalMin,
  };
  checkOhlc(candle, path);
  return candle;
}
