/** Parsers for Time, SystemStatus and GetWebSocketsToken results (kraken.md §4, §5). Pure. */
import type { Json } from '../json.ts';
import { SYSTEM_STATES, type ServerTime, type SystemStatusInfo, type WebSocketsToken } from '../types.ts';
import { at, count, field, fail, obj, oneOf, rfc3339Ms, str, text } from './read.ts';

/** `{unixtime: 1688669448, rfc1123: "Thu, 06 Jul 23 18:50:48 +0000"}` → ServerTime. */
export function parseTime(result: Json, path: string): ServerTime {
  const o = obj(result, path);
  const seconds = count(field(o, 'unixtime', path), at(path, 'unixtime'));
  if (seconds > 7_258_118_400) fail(at(path, 'unixtime'), `unixtime ${seconds} is beyond year 2200`);
  return { tsMs: seconds * 1000, rfc1123: str(field(o, 'rfc1123', path), at(path, 'rfc1123')) };
}

/** `{status: "online", timestamp: "2023-07-06T18:52:00Z"}` → SystemStatusInfo. */
export function parseSystemStatus(result: Json, path: string): SystemStatusInfo {
  const o = obj(result, path);
  return {
    status: oneOf(field(o, 'status', path), SYSTEM_STATES, at(path, 'status')),
    tsMs: rfc3339Ms(field(o, 'timestamp', path), at(path, 'timestamp')),
  };
}

/** `{token: "…", expires: 900}` → WebSocketsToken. */
export function parseWebSocketsToken(result: Json, path: string): WebSocketsToken {
  const o = obj(result, path);
  return {
    token: text(field(o, 'token', path), at(path, 'token'), 1024),
    expiresSec: count(field(o, 'expires', path), at(path, 'expires')),
  };
}
