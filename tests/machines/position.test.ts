import { createActor, initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { type PositionEvent, positionMachine } from '../../machines/position.ts';
import { T0, positionInput } from './support/fixtures.ts';

type Snap = ReturnType<typeof initialTransition<typeof positionMachine>>[0];

const at = (n: number) => T0 + n * 1000;
const fill = (type: 'order.filled' | 'order.partiallyFilled', role: 'entry' | 'exit' | 'stopLoss' | 'takeProfit', quantity: string, n = 1): PositionEvent => ({
  type,
  role,
  quantity,
  price: '100000',
  nowMs: at(n),
});

function steps(events: PositionEvent[], input = positionInput()): Snap {
  let [s] = initialTransition(positionMachine, input);
  for (const e of events) [s] = transition(positionMachine, s, e);
  return s;
}

describe('position: single steps', () => {
  it('opens on the entry fill and starts protecting', () => {
    const [s0, actions0] = initialTransition(positionMachine, positionInput());
    expect(s0.value).toBe('opening');
    expect(actions0.map((a) => a.type)).not.toContain('placeProtectiveOrders');
    const [s1, actions] = transition(positionMachine, s0, fill('order.filled', 'entry', '0.5'));
    expect(s1.value).toEqual({ open: 'protecting' });
    expect(s1.context.held).toBe('0.5');
    expect(s1.context.openedAtMs).toBe(at(1));
    expect(actions.map((a) => a.type)).toContain('placeProtectiveOrders');
  });

  it('accumulates partial entry fills exactly', () => {
    // 0.1 + 0.2 + 0.2 = 0.5 exactly (0.1 + 0.2 in float64 is 0.30000000000000004)
    const s = steps([fill('order.partiallyFilled', 'entry', '0.1'), fill('order.partiallyFilled', 'entry', '0.2'), fill('order.filled', 'entry', '0.2')]);
    expect(s.context.held).toBe('0.5');
    expect(s.matches('open')).toBe(true);
  });

  it('an entry that ends with nothing filled closes as entryFailed', () => {
    const s = steps([{ type: 'order.rejected', role: 'entry', reason: 'EOrder:Insufficient funds', nowMs: at(1) }]);
    expect(s.status).toBe('done');
    expect(s.output).toEqual({ tag: 'auto_BTCUSD_001', symbol: 'BTC/USD', closeReason: 'entryFailed', closedAtMs: at(1) });
    expect(s.context.lastFailure).toBe('entry order rejected: EOrder:Insufficient funds');
  });

  it('an entry canceled after a partial fill keeps what was filled', () => {
    const s = steps([fill('order.partiallyFilled', 'entry', '0.2'), { type: 'order.canceled', role: 'entry', nowMs: at(2) }]);
    expect(s.value).toEqual({ open: 'protecting' });
    expect(s.context.held).toBe('0.2');
  });

  it('a close during entry cancels the entry, then exits what filled', () => {
    const [s1, a1] = transition(positionMachine, steps([fill('order.partiallyFilled', 'entry', '0.2')]), {
      type: 'position.close',
      reason: 'emergency',
      nowMs: at(2),
    });
    expect(s1.value).toBe('opening');
    expect(a1.map((a) => a.type)).toContain('cancelEntryOrder');
    const [s2, a2] = transition(positionMachine, s1, { type: 'order.canceled', role: 'entry', nowMs: at(3) });
    expect(s2.value).toBe('closing');
    expect(a2.map((a) => a.type)).toContain('submitExitOrder');
    const s3 = transition(positionMachine, s2, fill('order.filled', 'exit', '0.2', 4))[0];
    expect(s3.output?.closeReason).toBe('emergency');
  });

  it('protection placed or failed', () => {
    const open = steps([fill('order.filled', 'entry', '0.5')]);
    expect(transition(positionMachine, open, { type: 'protection.placed', nowMs: at(2) })[0].value).toEqual({ open: 'protected' });
    const [failed, actions] = transition(positionMachine, open, { type: 'protection.failed', reason: 'EOrder:Invalid price', nowMs: at(2) });
    expect(failed.value).toEqual({ open: 'unprotected' });
    expect(actions.map((a) => a.type)).toContain('alertUnprotected');
  });

  it('modify changes SL/TP/intent and re-protects; an inconsistent one is refused', () => {
    const open = steps([fill('order.filled', 'entry', '0.5'), { type: 'protection.placed', nowMs: at(2) }]);
    const [s, actions] = transition(positionMachine, open, { type: 'position.modify', stopLoss: '95000', intent: 'POSITION', nowMs: at(3) });
    expect(s.value).toEqual({ open: 'protecting' });
    expect([s.context.stopLoss, s.context.takeProfit, s.context.intent]).toEqual(['95000', '110000', 'POSITION']);
    expect(actions.map((a) => a.type)).toContain('placeProtectiveOrders');
    // stop above take-profit on a long: refused (can() is false, nothing changes)
    expect(open.can({ type: 'position.modify', stopLoss: '115000', nowMs: at(3) })).toBe(false);
    expect(open.can({ type: 'position.modify', takeProfit: null, nowMs: at(3) })).toBe(true);
  });

  it('reduce, partial exit fill, back to open with the rest', () => {
    const open = steps([fill('order.filled', 'entry', '0.5'), { type: 'protection.placed', nowMs: at(2) }]);
    const reducing = transition(positionMachine, open, { type: 'position.reduce', quantity: '0.2', reason: 'signal', nowMs: at(3) })[0];
    expect(reducing.value).toBe('reducing');
    const back = transition(positionMachine, reducing, fill('order.filled', 'exit', '0.2', 4))[0];
    expect(back.value).toEqual({ open: 'protecting' });
    expect(back.context.held).toBe('0.3');
    // a reduce of everything is a close
    expect(transition(positionMachine, open, { type: 'position.reduce', quantity: '0.5', reason: 'signal', nowMs: at(3) })[0].value).toBe('closing');
  });

  it('a failed exit returns to open (protective orders never cancelled before the exit fills)', () => {
    const open = steps([fill('order.filled', 'entry', '0.5')]);
    const closing = transition(positionMachine, open, { type: 'position.close', reason: 'signal', nowMs: at(2) })[0];
    const [back, actions] = transition(positionMachine, closing, { type: 'order.rejected', role: 'exit', reason: 'EService:Unavailable', nowMs: at(3) });
    expect(back.value).toEqual({ open: 'protecting' });
    expect(actions.map((a) => a.type)).toContain('alertExitFailed');
    expect(actions.map((a) => a.type)).not.toContain('cancelProtectiveOrders');
  });

  it('stop-loss and take-profit triggers close with their reason', () => {
    const open = steps([fill('order.filled', 'entry', '0.5'), { type: 'protection.placed', nowMs: at(2) }]);
    const sl = steps([fill('order.filled', 'exit', '0.5', 4)], undefined);
    expect(sl.value).toBe('opening'); // an exit fill before any entry is ignored
    const closing = transition(positionMachine, open, { type: 'position.stopTriggered', price: '89900', nowMs: at(3) })[0];
    expect(closing.context.exitReason).toBe('stopLoss');
    const [closed, actions] = transition(positionMachine, closing, fill('order.filled', 'exit', '0.5', 4));
    expect(closed.output).toEqual({ tag: 'auto_BTCUSD_001', symbol: 'BTC/USD', closeReason: 'stopLoss', closedAtMs: at(4) });
    expect(actions.map((a) => a.type)).toContain('cancelProtectiveOrders');
    const tp = transition(positionMachine, open, { type: 'position.takeProfitTriggered', price: '110100', nowMs: at(3) })[0];
    expect(transition(positionMachine, tp, fill('order.filled', 'exit', '0.5', 4))[0].output?.closeReason).toBe('takeProfit');
  });

  it('an exchange-native stop-loss fill closes directly; a partial one keeps the rest protected', () => {
    const open = steps([fill('order.filled', 'entry', '0.5'), { type: 'protection.placed', nowMs: at(2) }]);
    expect(transition(positionMachine, open, fill('order.filled', 'stopLoss', '0.5', 3))[0].output?.closeReason).toBe('stopLoss');
    const part = transition(positionMachine, open, fill('order.partiallyFilled', 'takeProfit', '0.1', 3))[0];
    expect(part.value).toEqual({ open: 'protected' });
    expect(part.context.held).toBe('0.4');
  });

  it('rejects a non-positive entry quantity at creation', () => {
    const actor = createActor(positionMachine, { input: positionInput({ entryQuantity: '0' }) });
    let error: unknown;
    actor.subscribe({ error: (e) => (error = e) });
    actor.start();
    expect(String(error)).toMatch(/entryQuantity must be > 0, got 0/);
  });
});
