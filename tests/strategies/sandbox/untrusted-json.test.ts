import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepth, parseUntrustedJson, sanitizeText } from '../../../strategies/sandbox/protocol/json.ts';
import { readDecision, readGuest, readLoaded, readState } from '../../../strategies/sandbox/host/guest.ts';
import { runs } from '../../support/runs.ts';

const opts = { maxChars: 10_000 };

describe('parseUntrustedJson', () => {
  it('parses ordinary JSON', () => {
    expect(parseUntrustedJson('{"a":[1,{"b":null}]}', 'x', opts)).toEqual({ ok: true, value: { a: [1, { b: null }] } });
  });

  it('refuses text above the size cap before parsing it', () => {
    const r = parseUntrustedJson(`"${'x'.repeat(20)}"`, 'analyze() output', { maxChars: 10 });
    expect(r).toEqual({ ok: false, reason: 'analyze() output: 22 characters of JSON, above the cap of 10' });
  });

  it('refuses nesting deeper than the limit (so a hostile text cannot stall or overflow the host)', () => {
    const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
    expect(parseUntrustedJson(deep, 'out', opts)).toEqual({ ok: false, reason: 'out: nests deeper than 64 levels of arrays/objects' });
    expect(parseUntrustedJson(`${'['.repeat(64)}${']'.repeat(64)}`, 'out', opts).ok).toBe(true);
  });

  it('does not count brackets inside strings', () => {
    expect(jsonDepth('["[[[[", "\\"{{{{"]', 10)).toBe(1);
  });

  it('refuses a __proto__ key anywhere and names where', () => {
    expect(parseUntrustedJson('{"__proto__":{"polluted":true}}', 'out', opts)).toEqual({ ok: false, reason: 'out: contains a "__proto__" key at $; such keys are refused' });
    expect(parseUntrustedJson('{"a":[0,{"b":{"__proto__":1}}]}', 'out', opts)).toEqual({ ok: false, reason: 'out: contains a "__proto__" key at $.a[1].b; such keys are refused' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reports text that is not JSON', () => {
    const r = parseUntrustedJson('{nope', 'out', opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^out: not valid JSON \(/);
  });

  it('never throws, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseUntrustedJson(text, 'x', { maxChars: 100 });
        return typeof r.ok === 'boolean';
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('sanitizeText', () => {
  it('replaces control and bidi-override characters and keeps ordinary text', () => {
    expect(sanitizeText('ok\u0000\u001b[31m\u202eevil\nline\ttab')).toBe('ok\ufffd\ufffd[31m\ufffdevil\nline\ttab');
  });

  it('cuts long text with a marker', () => {
    expect(sanitizeText('abcdef', 3)).toBe('abc… (3 more characters cut)');
  });
});

describe('reading the harness result', () => {
  it('accepts a well-formed success and sanitises log lines', () => {
    const r = readGuest('{"ok":true,"value":[1],"logs":["a\\u0007b"]}', 'analyze()', 1000);
    expect(r).toEqual({ ok: true, value: [1], logs: ['a\ufffdb'] });
  });

  it('turns a harness failure into a StrategyFailure', () => {
    expect(readGuest('{"ok":false,"kind":"threw","reason":"analyze() threw Error: x","logs":[]}', 'analyze()', 1000)).toEqual({
      ok: false,
      error: { kind: 'threw', reason: 'analyze() threw Error: x' },
      logs: [],
    });
  });

  it('refuses malformed envelopes and unknown failure kinds', () => {
    expect(readGuest('{"ok":true,"value":1}', 'analyze()', 1000).ok).toBe(false);
    expect(readGuest('{"ok":false,"kind":"timeout","reason":"lying","logs":[]}', 'analyze()', 1000)).toEqual({
      ok: false,
      error: { kind: 'invalidOutput', reason: 'analyze(): the sandbox returned a malformed result' },
      logs: [],
    });
  });

  it('defaults the scan interval to 5 and refuses a fractional or out-of-range one', () => {
    const callbacks = { onFill: false, onPositionClosed: false, getState: true, loadState: true };
    expect(readLoaded({ scanIntervalMinutes: null, callbacks })).toEqual({ ok: true, scanIntervalMinutes: 5, callbacks });
    expect(readLoaded({ scanIntervalMinutes: 15, callbacks })).toMatchObject({ ok: true, scanIntervalMinutes: 15 });
    expect(readLoaded({ scanIntervalMinutes: 2.5, callbacks })).toEqual({
      ok: false,
      error: { kind: 'rejected', reason: 'scanIntervalMinutes must be a whole number of minutes from 1 to 1440 (or absent for 5), got 2.5' },
    });
    expect(readLoaded({ scanIntervalMinutes: '5', callbacks }).ok).toBe(false);
  });

  it('accepts a signal array or { signals, regime } and keeps each signal raw for the caller', () => {
    const sig = { symbol: 'BTC/USD', action: 'BUY', size: 2 }; // invalid size: the caller's parse rejects it, not this
    expect(readDecision({ out: [sig], regime: null })).toEqual({ ok: true, rawSignals: [sig], regime: null });
    expect(readDecision({ out: { signals: [], regime: 'trend' }, regime: 'ignored' })).toEqual({ ok: true, rawSignals: [], regime: 'trend' });
    expect(readDecision({ out: [], regime: 'range' })).toEqual({ ok: true, rawSignals: [], regime: 'range' });
  });

  it('refuses an output that is neither, and a bad regime', () => {
    expect(readDecision({ out: null, regime: null })).toEqual({
      ok: false,
      error: { kind: 'invalidOutput', reason: 'analyze() output: must be an array of signals or { signals, regime }, got null' },
    });
    expect(readDecision({ out: [], regime: 5 })).toEqual({
      ok: false,
      error: { kind: 'invalidOutput', reason: 'regime: must be a string of 1 to 100 characters or null, got 5' },
    });
    expect(readDecision({ out: new Array(101).fill({}), regime: null })).toEqual({
      ok: false,
      error: { kind: 'invalidOutput', reason: 'analyze() signals: at most 100 per analyze() call, got 101' },
    });
  });

  it('reads state, null when the strategy has no getState()', () => {
    expect(readState({ hasState: true, state: { n: 1 } })).toEqual({ ok: true, hasState: true, state: { n: 1 } });
    expect(readState({ hasState: false, state: null })).toEqual({ ok: true, hasState: false, state: null });
  });
});
