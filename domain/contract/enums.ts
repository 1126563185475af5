/**
 * The closed vocabularies of the strategy contract (predecessor §3). Long-only spot: there is
 * no SHORT action.
 */
import { z } from 'zod';

/** What a signal asks for: open/add (BUY), partly reduce (SELL), exit fully (CLOSE), change SL/TP/intent (MODIFY). */
export const ACTIONS = ['BUY', 'SELL', 'CLOSE', 'MODIFY'] as const;
export type Action = (typeof ACTIONS)[number];

/** MARKET fills at the market (taker fee); LIMIT only when the market trades through the limit (maker fee). */
export const ORDER_TYPES = ['MARKET', 'LIMIT'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Holding horizon the strategy intends; informational metadata, the shell enforces nothing per intent. */
export const INTENTS = ['DAY', 'SWING', 'POSITION'] as const;
export type Intent = (typeof INTENTS)[number];

/** True for SELL, CLOSE and MODIFY: actions that never increase exposure (risk checks never block them). */
export function isExitAction(action: Action): boolean {
  return action !== 'BUY';
}

/** zod schemas of the three vocabularies (exact, case-sensitive: 'buy' is rejected). */
export const actionSchema = z.enum(ACTIONS);
export const orderTypeSchema = z.enum(ORDER_TYPES);
export const intentSchema = z.enum(INTENTS);

/** A trading pair as the fund names it: 'BASE/QUOTE', upper-case letters and digits ('BTC/USD', '1INCH/USD'). */
export const SYMBOL_RE = /^[A-Z0-9]{1,16}\/[A-Z0-9]{1,16}$/;
/** zod schema of a pair name (`SYMBOL_RE`). */
export const symbolSchema = z.string().regex(SYMBOL_RE, { error: 'must be a pair like "BTC/USD" (A-Z, 0-9, one "/")' });

/** A position tag: 1–64 of letters, digits, '_', '-', '.', ':', starting with a letter or digit ('auto_BTCUSD_001'). */
export const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** zod schema of a position tag (`TAG_RE`). */
export const tagSchema = z.string().regex(TAG_RE, {
  error: 'must be 1-64 characters of A-Z a-z 0-9 _ - . : starting with a letter or digit',
});
