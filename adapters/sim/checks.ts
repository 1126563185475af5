import { roundQty, tickOf } from '../../domain/execution/index.ts';
import { type Fixed, ZERO, mul, toString } from '../../domain/money/index.ts';
import type { VenueError, VenueOrderRequest } from '../../domain/ports/index.ts';
import { simError } from './errors.ts';
import type { MarketState } from './market.ts';

const ORDER_TYPES = ['market', 'limit', 'stop-loss', 'take-profit'] as const;

/**
 * The request's own shape: a usable client order id, side, type, quantity > 0, exactly the price
 * fields its type needs, post-only only on limits, and stops on the sell side (the sim models
 * triggers as exits of a long position, `domain/execution` `findExitTrigger`). Pure; null when fine.
 */
export function shapeProblem(req: VenueOrderRequest): VenueError | null {
  const invalid = (m: string) => simError('invalidOrder', m);
  if (typeof req.clientOrderId !== 'string' || req.clientOrderId.trim() === '' || req.clientOrderId !== req.clientOrderId.trim() || req.clientOrderId.length > 64) {
    return invalid(`clientOrderId must be a non-empty string of at most 64 characters without surrounding spaces, got ${JSON.stringify(req.clientOrderId)}`);
  }
  if (req.side !== 'buy' && req.side !== 'sell') return invalid(`side must be buy or sell, got ${JSON.stringify(req.side)}`);
  if (!(ORDER_TYPES as readonly string[]).includes(req.type)) return invalid(`type must be one of ${ORDER_TYPES.join(', ')}, got ${JSON.stringify(req.type)}`);
  if (typeof req.quantity !== 'bigint' || req.quantity <= ZERO) return invalid(`quantity must be > 0 (base units), got ${String(req.quantity)}`);
  const needsLimit = req.type === 'limit';
  const needsTrigger = req.type === 'stop-loss' || req.type === 'take-profit';
  if (needsLimit !== (req.limitPrice !== undefined)) return invalid(`a ${req.type} order ${needsLimit ? 'needs' : 'takes no'} limitPrice`);
  if (needsTrigger !== (req.triggerPrice !== undefined)) return invalid(`a ${req.type} order ${needsTrigger ? 'needs' : 'takes no'} triggerPrice`);
  if (req.postOnly === true && req.type !== 'limit') return invalid(`postOnly applies to limit orders only, got a ${req.type} order`);
  if (needsTrigger && req.side === 'buy') {
    return simError('unsupportedOrder', `the sim venue models ${req.type} orders as exits of a long position (sell side only); got a buy ${req.type}`);
  }
  return null;
}

/**
 * The request against the pair's grids and minimums, in the order the Kraken adapter meets them:
 * volume on the lot grid and prices on the tick grid (refused, never rounded), then the minimum
 * volume (`orderMin`) and minimum cost (`costMin`, at the limit or trigger price, or the mark for
 * a market order). Pure; null when fine.
 */
export function rulesProblem(req: VenueOrderRequest, market: MarketState, referencePrice: Fixed): VenueError | null {
  const { rules, symbol } = market;
  if (roundQty(req.quantity, rules) !== req.quantity) {
    return simError('invalidOrder', `quantity ${toString(req.quantity)} has more than ${rules.lotDecimals} decimals (lot grid of ${symbol})`);
  }
  const tick = tickOf(rules);
  for (const [name, price] of [
    ['limitPrice', req.limitPrice],
    ['triggerPrice', req.triggerPrice],
  ] as const) {
    if (price === undefined) continue;
    if (price <= ZERO) return simError('invalidOrder', `${name} must be > 0, got ${toString(price)}`);
    if (price % tick !== ZERO) return simError('invalidOrder', `${name} ${toString(price)} is not on the tick grid of ${symbol} (tick ${toString(tick)})`);
  }
  if (req.quantity < rules.orderMin) {
    return simError('belowMinimum', `quantity ${toString(req.quantity)} is below the minimum volume ${toString(rules.orderMin)} of ${symbol}`);
  }
  const cost = mul(req.quantity, referencePrice);
  if (cost < rules.costMin) {
    return simError('belowMinimum', `order cost ${toString(cost)} (${toString(req.quantity)} × ${toString(referencePrice)}) is below the minimum cost ${toString(rules.costMin)} of ${symbol}`);
  }
  return null;
}
