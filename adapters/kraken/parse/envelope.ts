/**
 * The REST envelope (reference/kraken.md §2): `{ "error": [string…], "result": … }`. Errors and
 * warnings (strings starting with `W`) are separated; a success carries `result`. Pure.
 */
import type { Json, Parsed } from '../json.ts';
import { arr, at, decodeWith, fail, obj, parseWith, str } from './read.ts';

/** A decoded envelope: `errors` non-empty means failure; otherwise `result` is present. */
export interface RestEnvelope {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly result: Json | undefined;
}

/** Reads an envelope value. A success without `result`, or a missing `error` array, is malformed. */
export function readRestEnvelope(value: Json, path: string): RestEnvelope {
  const o = obj(value, path);
  const list = arr(o['error'], at(path, 'error'));
  const errors: string[] = [];
  const warnings: string[] = [];
  list.forEach((e, i) => {
    const s = str(e, at(at(path, 'error'), i));
    (s.startsWith('W') ? warnings : errors).push(s);
  });
  const result = o['result'];
  if (errors.length === 0 && (result === undefined || result === null)) fail(at(path, 'result'), 'success envelope without a result');
  return { errors, warnings, result: result ?? undefined };
}

/** Decodes the body text of a REST response into its envelope. Pure; never throws. */
export function decodeRestEnvelope(text: string): Parsed<RestEnvelope> {
  return decodeWith(text, readRestEnvelope);
}

/** Runs a result parser on an envelope's `result` (path `$.result`). Pure; never throws. */
export function parseResult<T>(envelope: RestEnvelope, parser: (result: Json, path: string) => T): Parsed<T> {
  return parseWith(() => parser(envelope.result ?? null, '$.result'));
}
