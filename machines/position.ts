/**
 * The position machine: one actor per position tag, spawned by its symbol actor.
 *
 *   opening ──entry filled──▶ open (protecting → protected | unprotected)
 *   open ──position.reduce──▶ reducing ──exit filled──▶ open | closed
 *   open | reducing ──position.close / stop or take-profit triggered──▶ closing ──exit filled──▶ closed
 *
 * Quantities (base units) are exact decimal strings (`domain/money` text form) so the context
 * stays JSON-safe for persistence; arithmetic goes through `Fixed`. Prices are quote-currency
 * decimal strings. Fills arrive as `order.partiallyFilled` / `order.filled` with the quantity of
 * *that* fill (an increment), tagged with the role of the order that filled. The machine never
 * talks to a venue: placing, cancelling and replacing orders are named placeholder actions the
 * supervisor provides (persist-then-act happens there). Pure: imports only xstate and domain.
 */
import { assign, setup } from 'xstate';
import type { Intent } from '../domain/contract/index.ts';
import { fromString, toString } from '../domain/money/index.ts';
import { nowAfter } from './common.ts';

/** Which order of the position an order event is about. */
export type OrderRole = 'entry' | 'exit' | 'stopLoss' | 'takeProfit';

/** Why a position ended. `entryFailed`: the entry order ended with nothing filled. */
export type CloseReason = 'signal' | 'stopLoss' | 'takeProfit' | 'emergency' | 'promotion' | 'entryFailed';

/** Why a position is being (partly) exited, as asked by a command. */
export type ExitReason = Exclude<CloseReason, 'entryFailed'>;

/** Input of a position actor. Quantities/prices are decimal strings (see module doc). */
export interface PositionInput {
  /** The position tag (unique per open position). */
  readonly tag: string;
  /** Trading pair, e.g. 'BTC/USD'. */
  readonly symbol: string;
  readonly intent: Intent;
  /** Quantity the entry order asks for, base units (> 0). */
  readonly entryQuantity: string;
  /** Stop-loss trigger price, quote units, or null for none. */
  readonly stopLoss: string | null;
  /** Take-profit trigger price, quote units, or null for none. */
  readonly takeProfit: string | null;
  /** Time the position was requested, ms since epoch. */
  readonly nowMs: number;
}

/** Context of a position actor (JSON-safe). */
export interface PositionContext {
  readonly tag: string;
  readonly symbol: string;
  readonly intent: Intent;
  readonly entryQuantity: string;
  /** Quantity currently held, base units (entry fills minus exit fills). */
  readonly held: string;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  readonly openedAtMs: number | null;
  /** Set when an exit is pending or done: why. */
  readonly exitReason: ExitReason | null;
  /** Quantity of the pending partial exit (reducing), base units. */
  readonly reduceQuantity: string | null;
  /** A close asked for while the entry order was still working. */
  readonly closeAfterEntry: ExitReason | null;
  readonly closeReason: CloseReason | null;
  readonly closedAtMs: number | null;
  /** Last order/protection failure, for display and alerts. */
  readonly lastFailure: string | null;
  readonly nowMs: number;
}

/** Fill of one order of this position: `quantity` is this fill's increment, base units. */
export interface OrderFillEvent {
  readonly role: OrderRole;
  readonly quantity: string;
  readonly price: string;
  readonly nowMs: number;
}

/** Events a position actor accepts. */
export type PositionEvent =
  | ({ type: 'order.partiallyFilled' } & OrderFillEvent)
  | ({ type: 'order.filled' } & OrderFillEvent)
  | { type: 'order.rejected'; role: OrderRole; reason: string; nowMs: number }
  | { type: 'order.canceled'; role: OrderRole; nowMs: number }
  | { type: 'order.expired'; role: OrderRole; nowMs: number }
  | { type: 'protection.placed'; nowMs: number }
  | { type: 'protection.failed'; reason: string; nowMs: number }
  | {
      type: 'position.modify';
      stopLoss?: string | null;
      takeProfit?: string | null;
      intent?: Intent;
      nowMs: number;
    }
  | { type: 'position.reduce'; quantity: string; reason: ExitReason; nowMs: number }
  | { type: 'position.close'; reason: ExitReason; nowMs: number }
  | { type: 'position.stopTriggered'; price: string; nowMs: number }
  | { type: 'position.takeProfitTriggered'; price: string; nowMs: number };

/** Output of a closed position actor. */
export interface PositionOutput {
  readonly tag: string;
  readonly symbol: string;
  readonly closeReason: CloseReason;
  readonly closedAtMs: number;
}

/**
 * Placeholder actions the supervisor provides (`positionMachine.provide({ actions })`). The
 * defaults do nothing. Each receives the machine's context after the transition's assignments.
 */
export const POSITION_PLACEHOLDERS = {
  actors: [],
  actions: [
    'placeProtectiveOrders',
    'submitExitOrder',
    'cancelEntryOrder',
    'cancelProtectiveOrders',
    'alertUnprotected',
    'alertExitFailed',
  ],
  guards: [],
} as const;

const EXIT_ROLES: readonly OrderRole[] = ['exit', 'stopLoss', 'takeProfit'];

type FillEvent = Extract<PositionEvent, { type: 'order.filled' | 'order.partiallyFilled' }>;
type OrderEndEvent = Extract<PositionEvent, { type: 'order.rejected' | 'order.canceled' | 'order.expired' }>;

function isRole(event: PositionEvent, roles: readonly OrderRole[]): boolean {
  return 'role' in event && roles.includes(event.role);
}

/** held − fill quantity, floored at zero (an over-fill is venue data; reconciliation flags it). */
function heldAfterExit(held: string, event: PositionEvent): string {
  const q = fromString((event as FillEvent).quantity);
  const left = fromString(held) - q;
  return toString(left > 0n ? left : 0n);
}

/** Why the position closed, judged on the event that closed it. */
function closeReasonOf(context: PositionContext, event: PositionEvent): CloseReason {
  if (context.openedAtMs === null) return 'entryFailed';
  if ('role' in event && event.role === 'stopLoss') return 'stopLoss';
  if ('role' in event && event.role === 'takeProfit') return 'takeProfit';
  return context.exitReason ?? 'signal';
}

/**
 * The position machine definition (pure; effects are placeholders, see
 * {@link POSITION_PLACEHOLDERS}). Final state `closed` outputs {@link PositionOutput}.
 */
export const positionMachine = setup({
  types: {} as {
    context: PositionContext;
    events: PositionEvent;
    input: PositionInput;
    output: PositionOutput;
  },
  actions: {
    placeProtectiveOrders: () => {},
    submitExitOrder: () => {},
    cancelEntryOrder: () => {},
    cancelProtectiveOrders: () => {},
    alertUnprotected: () => {},
    alertExitFailed: () => {},
    trackTime: assign({ nowMs: ({ context, event }) => nowAfter(context.nowMs, event) }),
    addEntryFill: assign({
      held: ({ context, event }) => toString(fromString(context.held) + fromString((event as FillEvent).quantity)),
      nowMs: ({ context, event }) => nowAfter(context.nowMs, event),
    }),
    markOpened: assign({ openedAtMs: ({ context, event }) => context.openedAtMs ?? nowAfter(context.nowMs, event) }),
    subtractExitFill: assign({
      held: ({ context, event }) => heldAfterExit(context.held, event),
      nowMs: ({ context, event }) => nowAfter(context.nowMs, event),
    }),
    applyModification: assign(({ context, event }) => {
      if (event.type !== 'position.modify') return {};
      return {
        stopLoss: event.stopLoss === undefined ? context.stopLoss : event.stopLoss,
        takeProfit: event.takeProfit === undefined ? context.takeProfit : event.takeProfit,
        intent: event.intent ?? context.intent,
        nowMs: nowAfter(context.nowMs, event),
      };
    }),
    rememberReduce: assign(({ context, event }) =>
      event.type === 'position.reduce'
        ? { reduceQuantity: event.quantity, exitReason: event.reason, nowMs: nowAfter(context.nowMs, event) }
        : {},
    ),
    rememberClose: assign(({ context, event }) => {
      const reason: ExitReason =
        event.type === 'position.close'
          ? event.reason
          : event.type === 'position.stopTriggered'
            ? 'stopLoss'
            : event.type === 'position.takeProfitTriggered'
              ? 'takeProfit'
              : (context.closeAfterEntry ?? context.exitReason ?? 'signal');
      return { exitReason: reason, reduceQuantity: null, nowMs: nowAfter(context.nowMs, event) };
    }),
    rememberCloseAfterEntry: assign(({ context, event }) =>
      event.type === 'position.close' ? { closeAfterEntry: event.reason, nowMs: nowAfter(context.nowMs, event) } : {},
    ),
    clearReduce: assign({ reduceQuantity: null }),
    recordFailure: assign(({ context, event }) => ({
      lastFailure:
        event.type === 'order.rejected'
          ? `${event.role} order rejected: ${event.reason}`
          : event.type === 'order.canceled' || event.type === 'order.expired'
            ? `${event.role} order ${event.type === 'order.canceled' ? 'canceled' : 'expired'}`
            : event.type === 'protection.failed'
              ? `protective orders failed: ${event.reason}`
              : context.lastFailure,
      nowMs: nowAfter(context.nowMs, event),
    })),
    markClosed: assign(({ context, event }) => ({
      closeReason: closeReasonOf(context, event),
      closedAtMs: nowAfter(context.nowMs, event),
      nowMs: nowAfter(context.nowMs, event),
    })),
  },
  guards: {
    isEntryFill: ({ event }) => isRole(event, ['entry']),
    isExitFill: ({ event }) => isRole(event, EXIT_ROLES),
    isEntryOrderEnd: ({ event }) => isRole(event, ['entry']),
    isExitOrderEnd: ({ event }) => isRole(event, ['exit']),
    /** After this exit fill nothing is held any more. */
    isFinalExitFill: ({ context, event }) => isRole(event, EXIT_ROLES) && heldAfterExit(context.held, event) === '0',
    hasHolding: ({ context }) => fromString(context.held) > 0n,
    /** Entry ended (any way) and a close was asked meanwhile: exit what was filled. */
    isCloseAfterEntryWithHolding: ({ context }) => context.closeAfterEntry !== null && fromString(context.held) > 0n,
    isCloseAfterEntryWithoutHolding: ({ context }) => context.closeAfterEntry !== null && fromString(context.held) === 0n,
    /** The entry fill completes the entry and a close was asked meanwhile. */
    isEntryFillWithCloseAfterEntry: ({ context, event }) => isRole(event, ['entry']) && context.closeAfterEntry !== null,
    /** A reduce that leaves something held (a reduce of everything is a close). */
    isPartialReduce: ({ context, event }) =>
      event.type === 'position.reduce' &&
      fromString(event.quantity) > 0n &&
      fromString(event.quantity) < fromString(context.held),
    isFullReduce: ({ context, event }) =>
      event.type === 'position.reduce' && fromString(event.quantity) >= fromString(context.held),
    /** Stop-loss below take-profit when both are set (long-only); prices > 0. */
    isConsistentModification: ({ context, event }) => {
      if (event.type !== 'position.modify') return false;
      const sl = event.stopLoss === undefined ? context.stopLoss : event.stopLoss;
      const tp = event.takeProfit === undefined ? context.takeProfit : event.takeProfit;
      if (sl !== null && fromString(sl) <= 0n) return false;
      if (tp !== null && fromString(tp) <= 0n) return false;
      return sl === null || tp === null || fromString(sl) < fromString(tp);
    },
  },
}).createMachine({
  id: 'position',
  context: ({ input }) => {
    if (!(fromString(input.entryQuantity) > 0n)) {
      throw new RangeError(`position ${input.tag}: entryQuantity must be > 0, got ${input.entryQuantity}`);
    }
    return {
      tag: input.tag,
      symbol: input.symbol,
      intent: input.intent,
      entryQuantity: input.entryQuantity,
      held: '0',
      stopLoss: input.stopLoss,
      takeProfit: input.takeProfit,
      openedAtMs: null,
      exitReason: null,
      reduceQuantity: null,
      closeAfterEntry: null,
      closeReason: null,
      closedAtMs: null,
      lastFailure: null,
      nowMs: input.nowMs,
    };
  },
  initial: 'opening',
  output: ({ context }) => ({
    tag: context.tag,
    symbol: context.symbol,
    closeReason: context.closeReason ?? 'signal',
    closedAtMs: context.closedAtMs ?? context.nowMs,
  }),
  states: {
    opening: {
      description: 'The entry order is working; nothing (or part) is held.',
      on: {
        'order.partiallyFilled': { guard: 'isEntryFill', actions: 'addEntryFill' },
        'order.filled': [
          {
            guard: 'isEntryFillWithCloseAfterEntry',
            target: 'closing',
            actions: ['addEntryFill', 'markOpened', 'rememberClose', 'submitExitOrder'],
          },
          { guard: 'isEntryFill', target: 'open', actions: ['addEntryFill', 'markOpened'] },
        ],
        'order.rejected': [
          { guard: 'isCloseAfterEntryWithHolding', target: 'closing', actions: ['recordFailure', 'markOpened', 'rememberClose', 'submitExitOrder'] },
          { guard: 'isCloseAfterEntryWithoutHolding', target: 'closed', actions: ['recordFailure'] },
          { guard: 'hasHolding', target: 'open', actions: ['recordFailure', 'markOpened'] },
          { guard: 'isEntryOrderEnd', target: 'closed', actions: ['recordFailure'] },
        ],
        'order.canceled': [
          { guard: 'isCloseAfterEntryWithHolding', target: 'closing', actions: ['recordFailure', 'markOpened', 'rememberClose', 'submitExitOrder'] },
          { guard: 'isCloseAfterEntryWithoutHolding', target: 'closed', actions: ['recordFailure'] },
          { guard: 'hasHolding', target: 'open', actions: ['recordFailure', 'markOpened'] },
          { guard: 'isEntryOrderEnd', target: 'closed', actions: ['recordFailure'] },
        ],
        'order.expired': [
          { guard: 'isCloseAfterEntryWithHolding', target: 'closing', actions: ['recordFailure', 'markOpened', 'rememberClose', 'submitExitOrder'] },
          { guard: 'isCloseAfterEntryWithoutHolding', target: 'closed', actions: ['recordFailure'] },
          { guard: 'hasHolding', target: 'open', actions: ['recordFailure', 'markOpened'] },
          { guard: 'isEntryOrderEnd', target: 'closed', actions: ['recordFailure'] },
        ],
        // Closing during entry: cancel the entry first (it may still fill); exit what was filled.
        'position.close': { actions: ['rememberCloseAfterEntry', 'cancelEntryOrder'] },
      },
    },
    open: {
      description: 'Held. In live mode the stop-loss/take-profit orders rest on the exchange.',
      initial: 'protecting',
      on: {
        'position.modify': { guard: 'isConsistentModification', target: '.protecting', reenter: true, actions: 'applyModification' },
        'position.reduce': [
          { guard: 'isPartialReduce', target: 'reducing', actions: ['rememberReduce', 'submitExitOrder'] },
          { guard: 'isFullReduce', target: 'closing', actions: ['rememberReduce', 'rememberClose', 'submitExitOrder'] },
        ],
        'position.close': { target: 'closing', actions: ['rememberClose', 'submitExitOrder'] },
        'position.stopTriggered': { target: 'closing', actions: ['rememberClose', 'submitExitOrder'] },
        'position.takeProfitTriggered': { target: 'closing', actions: ['rememberClose', 'submitExitOrder'] },
        // An exchange-native stop-loss/take-profit filled (fully or in parts).
        'order.partiallyFilled': [
          { guard: 'isFinalExitFill', target: 'closed', actions: ['subtractExitFill'] },
          { guard: 'isExitFill', actions: 'subtractExitFill' },
        ],
        'order.filled': [
          { guard: 'isFinalExitFill', target: 'closed', actions: ['subtractExitFill'] },
          // The protective order filled less than held (e.g. after an average-in): re-size protection.
          { guard: 'isExitFill', target: '.protecting', reenter: true, actions: 'subtractExitFill' },
        ],
      },
      states: {
        protecting: {
          description: 'Placing or replacing the protective orders for the held quantity.',
          entry: 'placeProtectiveOrders',
          on: {
            'protection.placed': { target: 'protected', actions: 'trackTime' },
            'protection.failed': { target: 'unprotected', actions: ['recordFailure', 'alertUnprotected'] },
          },
        },
        protected: {
          description: 'Protective orders are live (paper: the simulated monitor watches the prices).',
        },
        unprotected: {
          description: 'Protective orders failed: alerted; the client-side monitor still sends stop/take-profit triggers.',
          on: { 'protection.placed': { target: 'protected', actions: 'trackTime' } },
        },
      },
    },
    reducing: {
      description: 'A partial exit order is working; protective orders stay in place.',
      on: {
        'order.partiallyFilled': [
          { guard: 'isFinalExitFill', target: 'closed', actions: ['subtractExitFill'] },
          { guard: 'isExitFill', actions: 'subtractExitFill' },
        ],
        'order.filled': [
          { guard: 'isFinalExitFill', target: 'closed', actions: ['subtractExitFill'] },
          { guard: 'isExitFill', target: '#position.open.protecting', actions: ['subtractExitFill', 'clearReduce'] },
        ],
        'order.rejected': { guard: 'isExitOrderEnd', target: '#position.open.protecting', actions: ['recordFailure', 'clearReduce', 'alertExitFailed'] },
        'order.canceled': { guard: 'isExitOrderEnd', target: '#position.open.protecting', actions: ['recordFailure', 'clearReduce', 'alertExitFailed'] },
        'order.expired': { guard: 'isExitOrderEnd', target: '#position.open.protecting', actions: ['recordFailure', 'clearReduce', 'alertExitFailed'] },
        'position.modify': { guard: 'isConsistentModification', actions: ['applyModification', 'placeProtectiveOrders'] },
        'position.close': { target: 'closing', actions: ['rememberClose', 'submitExitOrder'] },
        'position.stopTriggered': { target: 'closing', actions: ['rememberClose', 'submitExitOrder'] },
        'position.takeProfitTriggered': { target: 'closing', actions: ['rememberClose', 'submitExitOrder'] },
      },
    },
    closing: {
      description: 'Exiting everything; protective orders are cancelled only after the exit fills.',
      on: {
        'order.partiallyFilled': [
          { guard: 'isFinalExitFill', target: 'closed', actions: ['subtractExitFill'] },
          { guard: 'isExitFill', actions: 'subtractExitFill' },
        ],
        'order.filled': [
          { guard: 'isFinalExitFill', target: 'closed', actions: ['subtractExitFill'] },
          // The exit order completed but something is still held (rounding, average-in): exit the rest.
          { guard: 'isExitFill', actions: ['subtractExitFill', 'submitExitOrder'] },
        ],
        'order.rejected': { guard: 'isExitOrderEnd', target: '#position.open.protecting', actions: ['recordFailure', 'alertExitFailed'] },
        'order.canceled': { guard: 'isExitOrderEnd', target: '#position.open.protecting', actions: ['recordFailure', 'alertExitFailed'] },
        'order.expired': { guard: 'isExitOrderEnd', target: '#position.open.protecting', actions: ['recordFailure', 'alertExitFailed'] },
      },
    },
    closed: {
      description: 'Nothing held; protective orders cancelled. Final: the symbol actor removes this actor.',
      type: 'final',
      entry: ['markClosed', 'cancelProtectiveOrders'],
    },
  },
});
