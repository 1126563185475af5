import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KRAKEN_ERROR_TABLE,
  classifyKrakenError,
  classifyKrakenErrors,
  findErrorRule,
  normaliseErrorText,
  type KrakenErrorClass,
  type KrakenErrorKind,
  type OrderOutcome,
} from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';

/**
 * Every error string of reference/kraken.md §7 (plus §6.1 validation strings and §10.4 WS strings),
 * with the class and order outcome the table must give it. Classes follow the §7 "Retry?" column.
 */
const CATALOGUE: readonly [string, KrakenErrorKind, KrakenErrorClass, OrderOutcome][] = [
  ['EAPI:Invalid key', 'invalidKey', 'permanent', 'notPlaced'],
  ['EAPI:Invalid signature', 'invalidSignature', 'permanent', 'notPlaced'],
  ['EAPI:Invalid nonce', 'invalidNonce', 'transient', 'notPlaced'],
  ['EAPI:Rate limit exceeded', 'rateLimited', 'transient', 'notPlaced'],
  ['EGeneral:Temporary lockout', 'lockout', 'transient', 'notPlaced'],
  ['EGeneral:Invalid arguments', 'invalidArguments', 'permanent', 'notPlaced'],
  ['EGeneral:Invalid arguments:volume', 'invalidArguments', 'permanent', 'notPlaced'],
  ['EGeneral:Invalid arguments:Index unavailable', 'invalidArguments', 'permanent', 'notPlaced'],
  ['EGeneral:Permission denied', 'permissionDenied', 'permanent', 'notPlaced'],
  ['EGeneral:Internal error', 'internalError', 'transient', 'unknown'],
  ['EGeneral:Internal error:10012', 'internalError', 'transient', 'unknown'],
  ['EQuery:Unknown asset pair', 'unknownPair', 'permanent', 'notPlaced'],
  ['EOrder:Insufficient funds', 'insufficientFunds', 'permanent', 'notPlaced'],
  ['EOrder:Order minimum not met', 'orderMinimum', 'permanent', 'notPlaced'],
  ['EOrder:Cost minimum not met', 'costMinimum', 'permanent', 'notPlaced'],
  ['EOrder:Tick size check failed', 'tickSize', 'permanent', 'notPlaced'],
  ['EOrder:Invalid price', 'invalidPrice', 'permanent', 'notPlaced'],
  ['EOrder:Invalid price:XBTUSD price can only be specified up to 1 decimals.', 'invalidPrice', 'permanent', 'notPlaced'],
  ['EOrder:Unknown order', 'unknownOrder', 'permanent', 'notPlaced'],
  ['EOrder:Orders limit exceeded', 'ordersLimit', 'permanent', 'notPlaced'],
  ['EOrder:Rate limit exceeded', 'orderRateLimited', 'transient', 'notPlaced'],
  // Not in kraken.md: the fake exchange's text for a cl_ord_id already open; the order is looked up, never resent.
  ['EOrder:Duplicate order', 'duplicateOrder', 'permanent', 'unknown'],
  ['EService:Unavailable', 'unavailable', 'transient', 'unknown'],
  ['EService:Busy', 'busy', 'transient', 'unknown'],
  ['EService:Market in cancel_only mode', 'marketCancelOnly', 'transient', 'notPlaced'],
  ['EService:Market in post_only mode', 'marketPostOnly', 'transient', 'notPlaced'],
  ['EService:Deadline elapsed', 'deadlineElapsed', 'transient', 'notPlaced'],
  ['EService: Throttled: 1688669999', 'throttled', 'transient', 'notPlaced'],
  ['Already subscribed', 'alreadySubscribed', 'permanent', 'notPlaced'],
  ['Subscription depth not supported', 'depthNotSupported', 'permanent', 'notPlaced'],
  ['Currency pair not supported XBT/USD', 'pairNotSupported', 'permanent', 'notPlaced'],
  ['Exceeded msg rate', 'messageRateExceeded', 'transient', 'notPlaced'],
];

describe('Kraken error table (kraken.md §7)', () => {
  it.each(CATALOGUE)('classifies %s', (text, kind, cls, outcome) => {
    const e = classifyKrakenError(text);
    expect(e.kind).toBe(kind);
    expect(e.class).toBe(cls);
    expect(e.orderOutcome).toBe(outcome);
    expect(e.krakenErrors).toEqual([text]);
  });

  it('has exactly one rule per Kraken string and every rule is exercised by the catalogue', () => {
    const texts = KRAKEN_ERROR_TABLE.map((r) => r.text);
    expect(new Set(texts).size).toBe(texts.length);
    const covered = new Set(CATALOGUE.map(([t]) => findErrorRule(t)?.text));
    const extras = ['EAPI:Bad request', 'EAPI:Feature disabled', 'EGeneral:Unknown method', 'EQuery:Unknown asset', 'EOrder:Invalid order', 'EOrder:Post only order'];
    for (const rule of KRAKEN_ERROR_TABLE) expect(covered.has(rule.text) || extras.includes(rule.text)).toBe(true);
    for (const extra of extras) expect(classifyKrakenError(extra).kind).not.toBe('unrecognized');
  });

  it('prefers the longest matching rule (Unknown asset pair is not Unknown asset)', () => {
    expect(classifyKrakenError('EQuery:Unknown asset pair').kind).toBe('unknownPair');
    expect(classifyKrakenError('EQuery:Unknown asset').kind).toBe('unknownAsset');
    expect(classifyKrakenError('EQuery:Unknown assetX').kind).toBe('unrecognized');
  });

  it('normalises spaces around colons', () => {
    expect(normaliseErrorText('EService: Throttled: 1688669999')).toBe('EService:Throttled:1688669999');
  });

  it('turns EService:Throttled:<unix s> into a wait until that time', () => {
    // 1688669999 s − 1688669990000 ms = 9000 ms.
    expect(classifyKrakenError('EService: Throttled: 1688669999', 1_688_669_990_000).retryAfterMs).toBe(9_000);
    expect(classifyKrakenError('EService:Unavailable').retryAfterMs).toBe(5_000);
    expect(classifyKrakenError('EGeneral:Temporary lockout').retryAfterMs).toBe(900_000);
  });

  it('unknown strings are unrecognized, permanent, and never claim an order was not placed', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const e = classifyKrakenError(text);
        if (findErrorRule(text) === null) {
          expect(e.kind).toBe('unrecognized');
          expect(e.class).toBe('permanent');
          expect(e.orderOutcome).toBe('unknown');
        } else expect(e.kind).not.toBe('unrecognized');
      }),
      { numRuns: runs(1000) },
    );
  });

  it('with several errors an unknown outcome wins; warnings alone are not errors', () => {
    const e = classifyKrakenErrors(['EOrder:Insufficient funds', 'EGeneral:Internal error']);
    expect(e?.kind).toBe('internalError');
    expect(e?.orderOutcome).toBe('unknown');
    expect(e?.krakenErrors).toEqual(['EOrder:Insufficient funds', 'EGeneral:Internal error']);
    expect(classifyKrakenErrors(['EOrder:Insufficient funds', 'EQuery:Unknown asset pair'])?.kind).toBe('insufficientFunds');
    expect(classifyKrakenErrors(['WGeneral:Deprecated endpoint'])).toBeNull();
    expect(classifyKrakenErrors([])).toBeNull();
  });
});
