/**
 * Every operator command against a real fund actor: accepted in the state where it makes sense,
 * refused — with the reason and the current state, never a throw — where it does not. Each
 * accepted command is a machine event the actor acted on (checked on the actor, not on replies).
 */
import { describe, expect, it } from 'vitest';
import { FUND_COMMAND_TABLE, orchestratorMachine } from '../../../machines/index.ts';
import { OPERATOR_CLOSE_REASON, REFLECT_TONIGHT_KEY, type CommandResult } from '../../../supervisor/operator/index.ts';
import { pending, resolves } from '../../machines/support/fixtures.ts';
import { T0, flush, operatorHarness } from './support.ts';

function refused(result: CommandResult): { reason: string; state: CommandResult['state'] } {
  expect(result.ok, result.ok ? result.message : result.reason).toBe(false);
  return result as { reason: string; state: CommandResult['state'] };
}

function accepted(result: CommandResult): string {
  expect(result.ok, result.ok ? '' : result.reason).toBe(true);
  return (result as { message: string }).message;
}

describe('pause and resume', () => {
  it('pause is accepted while active, refused when already paused; resume leaves it', async () => {
    const { operator, fund } = await operatorHarness();
    expect(operator.state().trading).toBe('active');
    expect(accepted(operator.execute({ kind: 'pause', via: 'telegram' }))).toBe('trading paused: no new entries; exits, stops and candidates keep running');
    expect(fund.snapshot().context.pausedByOperator).toBe(true);
    expect(operator.state().trading).toBe('paused');

    const again = refused(operator.execute({ kind: 'pause' }));
    expect(again.reason).toBe('already paused');
    expect(again.state.trading).toBe('paused');

    expect(accepted(operator.execute({ kind: 'resume' }))).toBe('trading resumed');
    expect(operator.state().trading).toBe('active');
    const twice = refused(operator.execute({ kind: 'resume' }));
    expect(twice.reason).toBe('trading is already active');
    expect(twice.state.summary).toBe('running · trading active · strategy live v1 · orchestrator idle');
  });

  it('pause is refused while halted: only resume leaves halted', async () => {
    const { operator } = await operatorHarness();
    accepted(operator.execute({ kind: 'halt', reason: 'maintenance' }));
    const r = refused(operator.execute({ kind: 'pause' }));
    expect(r.reason).toBe('trading is halted (maintenance); only operator.resume leaves halted');
    expect(r.state.trading).toBe('halted');
    expect(r.state.halt).toMatchObject({ source: 'operator', reason: 'maintenance' });
  });
});

describe('halt and kill', () => {
  it('halt is accepted while active and refused when already halted, keeping the first cause', async () => {
    const { operator } = await operatorHarness();
    expect(accepted(operator.execute({ kind: 'halt', reason: 'maintenance' }))).toBe('trading halted: maintenance; only an operator resume leaves it');
    const r = refused(operator.execute({ kind: 'halt', reason: 'second' }));
    expect(r.reason).toBe('already halted (operator: maintenance)');
    expect(accepted(operator.execute({ kind: 'resume' }))).toBe('trading resumed; cleared halt (operator: maintenance)');
  });

  it('kill closes everything and stays HALTED (not paused), until resume', async () => {
    const { operator, fund } = await operatorHarness();
    const message = accepted(operator.execute({ kind: 'kill' }));
    expect(message).toBe('kill: closing 1 open position; trading stays halted (not paused) until an operator resume');
    expect(fund.calls.filter((c) => c === 'closeAllPositions')).toHaveLength(1);
    const s = operator.state();
    expect(s.trading).toBe('halted');
    expect(s.pausedByOperator).toBe(false);
    expect(s.halt?.source).toBe('killSwitch');
    // A kill while halted closes everything again (FUND_COMMAND_TABLE.halted accepts it) without changing the cause.
    expect(FUND_COMMAND_TABLE.halted).toContain('operator.kill');
    accepted(operator.execute({ kind: 'kill' }));
    expect(fund.calls.filter((c) => c === 'closeAllPositions')).toHaveLength(2);
    expect(operator.state().halt?.source).toBe('killSwitch');
    accepted(operator.execute({ kind: 'resume' }));
    expect(operator.state().trading).toBe('active');
  });

  it('while the fund is still booting: pause is recorded, resume and kill are refused with the phase', async () => {
    const { operator, fund } = await operatorHarness({ stayBooting: true });
    expect(operator.state().phase).toBe('booting');
    expect(operator.state().trading).toBeNull();
    expect(accepted(operator.execute({ kind: 'pause' }))).toBe('pause recorded: trading will start paused');
    expect(fund.snapshot().context.pausedByOperator).toBe(true);
    expect(refused(operator.execute({ kind: 'resume' })).reason).toBe('the fund is booting; operator.resume is accepted only while running');
    const kill = refused(operator.execute({ kind: 'kill' }));
    expect(kill.reason).toBe('the fund is booting; operator.kill is accepted only while running');
    expect(kill.state.phase).toBe('booting');
    expect(refused(operator.execute({ kind: 'orchestrate' })).reason).toBe('the fund is booting; a cycle can start only while it is running');
    expect(refused(operator.execute({ kind: 'closePosition', tag: 'auto_BTCUSD_002' })).reason).toBe(
      'the fund is booting; positions can be closed only while it is running',
    );
  });
});

describe('close a position by tag', () => {
  async function withOpenPosition() {
    const h = await operatorHarness();
    const symbolActor = h.fund.snapshot().children['symbol:BTC/USD'] as unknown as { send(e: object): void; getSnapshot(): { children: Record<string, { getSnapshot(): { value: unknown; context: { exitReason: string | null } } }> } };
    const nowMs = h.fund.clock.now();
    symbolActor.send({ type: 'position.opened', tag: 'auto_BTCUSD_002', intent: 'SWING', entryQuantity: '0.005', stopLoss: '60000', takeProfit: '70000', nowMs });
    symbolActor.send({ type: 'order.filled', tag: 'auto_BTCUSD_002', role: 'entry', quantity: '0.005', price: '62000', nowMs });
    const position = () => symbolActor.getSnapshot().children['position:auto_BTCUSD_002']!.getSnapshot();
    return { ...h, position };
  }

  it('sends position.close to the position, and refuses a second close while it is closing', async () => {
    const { operator, position } = await withOpenPosition();
    expect(position().value).toMatchObject({ open: expect.any(String) });
    expect(accepted(operator.execute({ kind: 'closePosition', tag: ' auto_BTCUSD_002 ' }))).toBe('closing position auto_BTCUSD_002: 0.005 BTC/USD at market');
    expect(position().value).toBe('closing');
    expect(position().context.exitReason).toBe(OPERATOR_CLOSE_REASON);
    const again = refused(operator.execute({ kind: 'closePosition', tag: 'auto_BTCUSD_002' }));
    expect(again.reason).toBe('position auto_BTCUSD_002 cannot be closed now: it is closing');
    expect(again.state.phase).toBe('running');
  });

  it('refuses unknown, malformed and orphaned tags, and positions without an actor, naming what exists', async () => {
    const { operator, repos } = await operatorHarness();
    expect(refused(operator.execute({ kind: 'closePosition', tag: 'auto_SOLUSD_001' })).reason).toBe('no open position has tag auto_SOLUSD_001; open: auto_BTCUSD_002');
    expect(refused(operator.execute({ kind: 'closePosition', tag: '-bad tag' })).reason).toMatch(/^tag "-bad tag" is not a position tag \(1-64 characters/);
    expect(refused(operator.execute({ kind: 'closePosition', tag: 'auto_BTCUSD_002' })).reason).toBe(
      'position auto_BTCUSD_002 is in the store but its actor is not running under BTC/USD (reconciliation pending)',
    );
    repos.positions.insert({ ...repos.positions.byTag('auto_BTCUSD_002')!, tag: 'auto_ETHUSD_009', symbol: 'ETH/USD', seq: 9 });
    expect(refused(operator.execute({ kind: 'closePosition', tag: 'auto_ETHUSD_009' })).reason).toBe(
      'ETH/USD has no symbol actor (configured symbols: BTC/USD); close position auto_ETHUSD_009 at the exchange',
    );
  });
});

describe('orchestrate now and reflect tonight', () => {
  it('orchestrate sends orchestrator.requested; a second request is refused while the cycle runs', async () => {
    const { operator, fund } = await operatorHarness({
      actors: { orchestrator: orchestratorMachine.provide({ actors: { checkBudget: pending() } }) },
    });
    expect(accepted(operator.execute({ kind: 'orchestrate' }))).toBe('orchestration cycle started (the token budget is checked first)');
    const orchestrator = fund.snapshot().children['orchestrator'] as unknown as { getSnapshot(): { value: unknown; context: { cycle: { id: string; source: string } | null } } };
    expect(orchestrator.getSnapshot().value).toBe('scheduled');
    expect(orchestrator.getSnapshot().context.cycle?.source).toBe('operator');
    const r = refused(operator.execute({ kind: 'orchestrate' }));
    expect(r.reason).toBe(`a cycle is already running (cycle-${T0} is scheduled); wait for it to end`);
    expect(r.state.orchestrator).toBe('scheduled');
  });

  it('orchestrate and reflect are refused when no advisor is configured', async () => {
    const { operator, fund, repos } = await operatorHarness();
    (fund.snapshot().children['orchestrator'] as unknown as { send(e: object): void }).send({ type: 'advisor.removed', nowMs: fund.clock.now() });
    expect(operator.state().orchestrator).toBe('disabled');
    expect(refused(operator.execute({ kind: 'orchestrate' })).reason).toBe('the orchestrator is disabled: no advisor is configured (ANTHROPIC_API_KEY)');
    expect(refused(operator.execute({ kind: 'reflectTonight' })).reason).toBe(
      'the orchestrator is disabled: no advisor is configured (ANTHROPIC_API_KEY), so no reflection can run',
    );
    expect(repos.systemMeta.get(REFLECT_TONIGHT_KEY)).toBeUndefined();
  });

  it('reflect tonight persists the flag once; asking again is idempotent', async () => {
    const { operator, repos } = await operatorHarness();
    expect(accepted(operator.execute({ kind: 'reflectTonight' }))).toBe('a reflection will run at the start of the next cycle');
    expect(repos.systemMeta.get(REFLECT_TONIGHT_KEY)).toBe('1');
    expect(accepted(operator.execute({ kind: 'reflectTonight' }))).toBe('a reflection is already set for the next cycle');
  });
});

describe('a stopped fund', () => {
  it('refuses every command with its state', async () => {
    const { operator, fund } = await operatorHarness();
    fund.send({ type: 'system.stop', reason: 'SIGTERM' });
    await flush();
    expect(fund.snapshot().status).toBe('done');
    const commands = [
      { kind: 'pause' },
      { kind: 'resume' },
      { kind: 'halt' },
      { kind: 'kill' },
      { kind: 'closePosition', tag: 'auto_BTCUSD_002' },
      { kind: 'orchestrate' },
      { kind: 'deposit', amount: '10' },
      { kind: 'withdraw', amount: '10' },
    ] as const;
    for (const command of commands) {
      const r = refused(operator.execute(command));
      expect(r.reason, command.kind).toBe('the fund is done; it accepts no commands');
      expect(r.state.phase).toBe('stopped');
    }
  });
});

describe('every command is recorded and none throws', () => {
  it('records accepted and refused commands as operator.commanded activity', async () => {
    const { operator, repos, busFailures } = await operatorHarness();
    operator.execute({ kind: 'pause', via: 'telegram' });
    operator.execute({ kind: 'pause', via: 'http' });
    const rows = repos.activityLog.list({ category: 'operator' }).reverse();
    expect(rows.map((r) => [r.severity, r.summary])).toEqual([
      ['info', 'operator pause via telegram done: trading paused: no new entries; exits, stops and candidates keep running'],
      ['warning', 'operator pause via http refused: already paused'],
    ]);
    expect(JSON.parse(rows[1]!.detail!).data.state).toBe('running · trading paused · strategy live v1 · orchestrator idle');
    expect(busFailures).toEqual([]);
  });

  it('an unknown command, or a store that fails mid-command, is a refusal with its reason', async () => {
    const { operator, repos } = await operatorHarness();
    const unknown = refused(operator.execute({ kind: 'liquidate' } as never));
    expect(unknown.reason).toMatch(/^unknown command "liquidate"; allowed: pause, resume, halt, kill, closePosition, orchestrate, reflectTonight, deposit, withdraw, vetoCandidate, forceCandidate$/);
    const broken = { ...repos, systemMeta: { ...repos.systemMeta, get: () => { throw new Error('SQLITE_IOERR: disk I/O error'); } } };
    const h2 = await operatorHarness({ deps: { repos: broken } });
    const r = refused(h2.operator.execute({ kind: 'reflectTonight' }));
    expect(r.reason).toBe('reflectTonight failed: Error: SQLITE_IOERR: disk I/O error');
    expect(r.state.phase).toBe('running');
  });
});

describe('orchestrate after a cycle ended', () => {
  it('is accepted again once the previous cycle is back in idle (budget exhausted ends it at once)', async () => {
    const h = await operatorHarness({
      actors: { orchestrator: orchestratorMachine.provide({ actors: { checkBudget: resolves({ nowMs: T0, tokensRemaining: 0 }) } }) },
    });
    accepted(h.operator.execute({ kind: 'orchestrate' }));
    await flush();
    expect(h.operator.state().orchestrator).toBe('idle');
    accepted(h.operator.execute({ kind: 'orchestrate' }));
  });
});
