/**
 * The WS v2 message dispatcher (kraken.md §10–§12): decodes one text frame into a typed
 * message — connection status, heartbeat, pong, a method response (subscribe acks, errors), or
 * channel data (ticker, ohlc, book, executions). Channels we do not consume (trade,
 * instrument, balances, level3) come back as `ignored`. Pure; never throws on bad input.
 */
import type { Json, JsonObject, Parsed } from '../json.ts';
import { JsonNumber } from '../json.ts';
import { SYSTEM_STATES, type SystemState } from '../types.ts';
import { arr, at, bool, count, decodeWith, field, int, obj, oneOf, opt, rfc3339Ms, str, strings, text } from './read.ts';
import { parseWsBook, type WsBookData } from './ws-book.ts';
import { parseWsExecution, type WsExecution } from './ws-executions.ts';
import { parseWsCandle, type WsCandle } from './ws-ohlc.ts';
import { parseWsTicker, type WsTicker } from './ws-ticker.ts';

/** Connection/engine status pushed on connect and on every engine state change. */
export interface WsStatus {
  readonly system: SystemState;
  readonly apiVersion: string | null;
  /** Kept as text: the id exceeds 2^53. */
  readonly connectionId: string | null;
  readonly version: string | null;
}

/** A response to one of our requests (subscribe/unsubscribe acks, one per symbol; errors). */
export interface WsResponse {
  readonly method: string;
  readonly reqId: number | null;
  readonly success: boolean;
  /** `result.channel` when present. */
  readonly channel: string | null;
  /** `result.symbol`, or the top-level `symbol` of a failure ack. */
  readonly symbol: string | null;
  readonly error: string | null;
  readonly warnings: readonly string[];
  readonly result: JsonObject | readonly Json[] | null;
  readonly tsInMs: number | null;
  readonly tsOutMs: number | null;
}

/** `snapshot` replaces local state; `update` changes it. */
export type WsDataKind = 'snapshot' | 'update';

/** Every message the client understands. */
export type WsMessage =
  | { readonly type: 'status'; readonly status: WsStatus }
  | { readonly type: 'heartbeat' }
  | { readonly type: 'pong'; readonly reqId: number | null }
  | { readonly type: 'response'; readonly response: WsResponse }
  | { readonly type: 'ticker'; readonly kind: WsDataKind; readonly tickers: readonly WsTicker[] }
  | { readonly type: 'ohlc'; readonly kind: WsDataKind; readonly candles: readonly WsCandle[] }
  | { readonly type: 'book'; readonly kind: WsDataKind; readonly books: readonly WsBookData[] }
  | { readonly type: 'executions'; readonly kind: WsDataKind; readonly sequence: number | null; readonly executions: readonly WsExecution[] }
  | { readonly type: 'ignored'; readonly channel: string };

function optText(o: JsonObject, key: string, path: string): string | null {
  const v = opt(o, key);
  if (v === undefined) return null;
  if (v instanceof JsonNumber) return v.text;
  return text(v, at(path, key), 128);
}

function optTime(o: JsonObject, key: string, path: string): number | null {
  const v = opt(o, key);
  return v === undefined ? null : rfc3339Ms(v, at(path, key));
}

function readStatus(o: JsonObject, path: string): WsStatus {
  const dp = at(path, 'data');
  const data = arr(field(o, 'data', path), dp);
  const first = obj(data[0], at(dp, 0));
  const p = at(dp, 0);
  return {
    system: oneOf(field(first, 'system', p), SYSTEM_STATES, at(p, 'system')),
    apiVersion: optText(first, 'api_version', p),
    connectionId: optText(first, 'connection_id', p),
    version: optText(first, 'version', p),
  };
}

function readResponse(o: JsonObject, method: string, path: string): WsResponse {
  const reqId = opt(o, 'req_id');
  const result = opt(o, 'result');
  const rp = at(path, 'result');
  let channel: string | null = null;
  let symbol: string | null = optText(o, 'symbol', path);
  let warnings: string[] = [];
  let parsedResult: JsonObject | readonly Json[] | null = null;
  if (result !== undefined) {
    if (Array.isArray(result)) parsedResult = result as readonly Json[];
    else {
      const r = obj(result, rp);
      parsedResult = r;
      channel = optText(r, 'channel', rp);
      symbol = optText(r, 'symbol', rp) ?? symbol;
      const w = opt(r, 'warnings');
      if (w !== undefined) warnings = strings(w, at(rp, 'warnings'));
    }
  }
  const error = opt(o, 'error');
  return {
    method,
    reqId: reqId === undefined ? null : int(reqId, at(path, 'req_id')),
    success: bool(field(o, 'success', path), at(path, 'success')),
    channel,
    symbol,
    error: error === undefined ? null : str(error, at(path, 'error')),
    warnings,
    result: parsedResult,
    tsInMs: optTime(o, 'time_in', path),
    tsOutMs: optTime(o, 'time_out', path),
  };
}

function dataList<T>(o: JsonObject, path: string, parse: (v: Json, p: string) => T): T[] {
  const dp = at(path, 'data');
  return arr(field(o, 'data', path), dp).map((v, i) => parse(v, at(dp, i)));
}

/** Reads one decoded WS value. */
export function readWsMessage(value: Json, path: string): WsMessage {
  const o = obj(value, path);
  const method = opt(o, 'method');
  if (method !== undefined) {
    const m = text(method, at(path, 'method'), 64);
    if (m === 'pong') {
      const reqId = opt(o, 'req_id');
      return { type: 'pong', reqId: reqId === undefined ? null : int(reqId, at(path, 'req_id')) };
    }
    return { type: 'response', response: readResponse(o, m, path) };
  }
  const channel = text(field(o, 'channel', path), at(path, 'channel'), 64);
  if (channel === 'heartbeat') return { type: 'heartbeat' };
  if (channel === 'status') return { type: 'status', status: readStatus(o, path) };
  if (channel !== 'ticker' && channel !== 'ohlc' && channel !== 'book' && channel !== 'executions') return { type: 'ignored', channel };
  const kind = oneOf(field(o, 'type', path), ['snapshot', 'update'] as const, at(path, 'type'));
  switch (channel) {
    case 'ticker':
      return { type: 'ticker', kind, tickers: dataList(o, path, parseWsTicker) };
    case 'ohlc':
      return { type: 'ohlc', kind, candles: dataList(o, path, parseWsCandle) };
    case 'book':
      return { type: 'book', kind, books: dataList(o, path, parseWsBook) };
    case 'executions': {
      const seq = opt(o, 'sequence');
      return { type: 'executions', kind, sequence: seq === undefined ? null : count(seq, at(path, 'sequence')), executions: dataList(o, path, parseWsExecution) };
    }
  }
}

/** Decodes one WS text frame. Pure; never throws. */
export function decodeWsMessage(text: string): Parsed<WsMessage> {
  return decodeWith(text, readWsMessage);
}

