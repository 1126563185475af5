/**
 * The order machine: one actor per order, its states and edges generated from the domain's
 * lifecycle table (`ORDER_TRANSITIONS` in domain/orders), so the chart and the table cannot
 * drift apart (tests/machines/order.test.ts compares them edge by edge).
 *
 *   new ─submitted▶ submitted ─accepted▶ accepted ─filled▶ partiallyFilled | filled
 *   submitted ─submitTimedOut▶ unknown ─lookupFound / lookupMissing / late ack or fill▶ …
 *   accepted | partiallyFilled ─cancelRequested▶ pendingCancel ─canceled▶ canceled
 *   terminal (final): filled, canceled, rejected, expired
 *
 * - States: one per `ORDER_STATES` entry; the `TERMINAL_STATES` are `type: 'final'`, and the
 *   actor's output is the final {@link Order} record.
 * - Edges: one per table line, in table order, with the table's guard name; every guard is
 *   implemented by `evaluateOrderGuard`, the same function `applyOrderEvent` uses.
 * - Context: the `Order` record, updated by `applyOrderEvent` on every edge (action
 *   `applyEvent`), so `state.value === context.order.status` always holds.
 * - Refusals: an event the table allows in principle but `applyOrderEvent` refuses (a replayed
 *   fill, an overfill, malformed data, a venue id contradicting the known one) is caught first
 *   by a targetless, actionless `isRefusedByDomain` transition: the machine does not move and
 *   `snapshot.can(event)` is false. Hence `snapshot.can(event) === applyOrderEvent(order, event).ok`
 *   for every event; {@link explainOrderRefusal} gives the reason.
 *
 * Late acknowledgements after a terminal status (the table's `filled`/`canceled` +
 * `order.accepted` self-loops) are declared on the final states too; the pure `transition()`
 * applies them to a finished snapshot's context. A *running* actor, however, stops when it
 * reaches a final state (XState drops later events), so its owner applies a late ack to the
 * stored record with `applyOrderEvent` (which the table allows) — the same function, the same
 * result.
 *
 * An order restored mid-lifecycle (e.g. `accepted` after a restart) starts from
 * {@link orderSnapshotFor}; no timers, no child actors, nothing to re-arm. Pure: imports only
 * xstate and domain.
 */
import { type SnapshotFrom, assign, setup } from 'xstate';
import {
  ORDER_GUARDS,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  type Order,
  type OrderError,
  type OrderEvent,
  type OrderEventType,
  type OrderGuard,
  type OrderStatus,
  applyOrderEvent,
  evaluateOrderGuard,
  isTerminal,
} from '../domain/orders/index.ts';

/** Input of an order actor: a freshly created order (status `new`, see domain `createOrder`). */
export interface OrderInput {
  readonly order: Order;
}

/** Context of an order actor: the order record as `applyOrderEvent` keeps it. */
export interface OrderContext {
  readonly order: Order;
}

/** Name of the blocking guard placed before the table edges of each (state, event) pair. */
export const ORDER_REFUSAL_GUARD = 'isRefusedByDomain';

/**
 * Placeholders: none. The order machine is purely reactive (no effects, no timers): the
 * supervisor persists the order row and talks to the venue, then feeds the facts in as events.
 */
export const ORDER_PLACEHOLDERS = { actors: [], actions: [], guards: [] } as const;

type GuardImpl = (args: { context: OrderContext; event: OrderEvent }) => boolean;

/** One named guard per table guard, each evaluated by the domain's `evaluateOrderGuard`. */
const tableGuards = Object.fromEntries(
  ORDER_GUARDS.map((name) => [name, (({ context, event }) => evaluateOrderGuard(name, context.order, event)) satisfies GuardImpl]),
) as Record<OrderGuard, GuardImpl>;

/** A transition config as generated from the table (one alternative for one event). */
interface EdgeConfig {
  readonly target?: OrderStatus;
  readonly guard?: OrderGuard | typeof ORDER_REFUSAL_GUARD;
  readonly actions?: 'applyEvent';
}

/** The `on` map of one status: for each event with table edges, the blocker then the edges in table order. */
function onFor(status: OrderStatus): Partial<Record<OrderEventType, EdgeConfig[]>> {
  const on: Partial<Record<OrderEventType, EdgeConfig[]>> = {};
  for (const t of ORDER_TRANSITIONS) {
    if (t.from !== status) continue;
    const list = (on[t.event] ??= [{ guard: ORDER_REFUSAL_GUARD }]);
    list.push(t.guard === undefined ? { target: t.to, actions: 'applyEvent' } : { target: t.to, guard: t.guard, actions: 'applyEvent' });
  }
  return on;
}

const states = Object.fromEntries(
  ORDER_STATES.map((status) => {
    const on = onFor(status);
    return [status, isTerminal(status) ? { type: 'final' as const, on } : { on }];
  }),
) as Record<OrderStatus, { type?: 'final'; on: Partial<Record<OrderEventType, EdgeConfig[]>> }>;

/** The order machine definition (pure; generated from `ORDER_TRANSITIONS`). */
export const orderMachine = setup({
  types: {} as {
    context: OrderContext;
    events: OrderEvent;
    input: OrderInput;
    output: Order;
  },
  actions: {
    applyEvent: assign(({ context, event }) => {
      const result = applyOrderEvent(context.order, event);
      // The blocker guard ran first on the same (order, event): a refusal here is a bug.
      if (!result.ok) throw new Error(`order machine: ${event.type} passed ${ORDER_REFUSAL_GUARD} but was refused: ${describeOrderError(result.error)}`);
      return { order: result.order };
    }),
  },
  guards: {
    ...tableGuards,
    [ORDER_REFUSAL_GUARD]: ({ context, event }: { context: OrderContext; event: OrderEvent }) => !applyOrderEvent(context.order, event).ok,
  },
}).createMachine({
  id: 'order',
  context: ({ input }) => {
    if (input.order.status !== 'new') {
      throw new RangeError(
        `order ${input.order.clientOrderId}: a new order actor starts from status 'new', got '${input.order.status}'; restore a later status with orderSnapshotFor(order)`,
      );
    }
    return { order: input.order };
  },
  initial: 'new',
  output: ({ context }) => context.order,
  states,
});

/** The order machine type. */
export type OrderMachine = typeof orderMachine;
/** An order snapshot. */
export type OrderSnapshot = SnapshotFrom<OrderMachine>;

/**
 * The snapshot of an order restored mid-lifecycle (status from its stored row): start an actor
 * with `createActor(orderMachine, { snapshot: orderSnapshotFor(order), input: { order } })` (the
 * input is required by the type and ignored on restore). Pure. A terminal
 * order gives a finished (`done`) snapshot whose output is the order.
 */
export function orderSnapshotFor(order: Order): OrderSnapshot {
  const resolved = orderMachine.resolveState({ value: order.status, context: { order } });
  if (!isTerminal(order.status)) return resolved;
  // resolveState leaves status 'active'; a terminal order's actor has finished.
  return { ...resolved, status: 'done', output: order } as OrderSnapshot;
}

/** A one-line description of an `applyOrderEvent` refusal (for alerts and stored reasons). Pure. */
export function describeOrderError(error: OrderError): string {
  switch (error.kind) {
    case 'illegalTransition':
      return `${error.event} is not a legal event for an order in status ${error.from}`;
    case 'overfill':
      return `fill of ${error.fillQuantity} would take the filled quantity from ${error.filledQuantity} past the order quantity ${error.quantity} (1e-18 units)`;
    case 'duplicateFill':
      return `fill with trade id ${error.tradeId} was already applied`;
    case 'invalidEvent':
      return `${error.event} refused: ${error.reason}`;
  }
}

/**
 * Why `event` would not move the order in `snapshot`, or null when it would (`snapshot.can`).
 * Pure; uses the same `applyOrderEvent` the machine uses, so the two never disagree.
 */
export function explainOrderRefusal(snapshot: OrderSnapshot, event: OrderEvent): string | null {
  if (snapshot.can(event)) return null;
  const result = applyOrderEvent(snapshot.context.order, event);
  if (!result.ok) return describeOrderError(result.error);
  return `the order actor is ${snapshot.status}; it accepts no events`;
}
