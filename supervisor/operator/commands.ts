/**
 * The operator's commands. Each becomes a machine event sent to the actor that owns the
 * decision — the fund (pause, resume, halt, kill, paper-test cancel), a symbol actor (close a
 * position by tag), the orchestrator (cycle now, vetoed or forced candidate) — after asking that
 * actor's snapshot whether it would accept it (`snapshot.can`). A refusal is a value with the
 * reason; nothing here throws. Store writes come first where a command records something
 * (capital events, the reflection flag, a vetoed candidate): persist, then act.
 */
import { tagSchema } from '../../domain/contract/index.ts';
import { toString } from '../../domain/money/index.ts';
import { type CapitalEvent, applyCapitalEvent } from '../../domain/portfolio/index.ts';
import { localDayKey } from '../../domain/time/index.ts';
import { type ExitReason, type FundCommand, explainFundRefusal } from '../../machines/index.ts';
import { parseAmount } from './amounts.ts';
import type { ConfirmationBook } from './confirm.ts';
import { orchestratorOf, positionOf, symbolOf, valueText } from './state.ts';
import type { BooksHandle, ConfirmationRequest, OperatorCommand, OperatorDeps } from './types.ts';

/**
 * Close reason of an operator's close by tag. The position machine's `ExitReason` has no
 * 'operator' yet (the store's close reasons do); until it does, a manual close is an
 * 'emergency' exit, as the predecessor's `/kill` closes were.
 */
export const OPERATOR_CLOSE_REASON: ExitReason = 'emergency';

/** `system_meta` key of the "reflect tonight" flag (predecessor `/reflect_tonight`). */
export const REFLECT_TONIGHT_KEY = 'reflect_tonight';

/**
 * The event a forced promotion sends to the orchestrator: promote `candidateVersion` now,
 * without the promotion gate. The orchestrator machine must accept it in `shadowTesting` (→
 * `promoting`); until it does, `can()` is false and the command is refused with that reason.
 */
export interface ForcePromotionEvent {
  readonly type: 'operator.forcePromotion';
  readonly candidateVersion: string;
  readonly nowMs: number;
}

/** What a command handler decides, before the state is attached. */
export type Outcome = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly reason: string; readonly confirmation?: ConfirmationRequest };

const refuse = (reason: string): Outcome => ({ ok: false, reason });

/** The command handlers over `deps`. */
export function commandHandlers(deps: OperatorDeps, books: BooksHandle, confirmations: ConfirmationBook) {
  const { fund, repos, settings, clock } = deps;

  /** Sends a fund command if the fund would accept it; `done` words the reply from the state after. */
  const fundCommand = (event: FundCommand, done: () => string): Outcome => {
    const refusal = explainFundRefusal(fund.getSnapshot(), event);
    if (refusal !== null) return refuse(refusal);
    fund.send(event);
    return { ok: true, message: done() };
  };

  const notRunning = (what: string): string | null => {
    const s = fund.getSnapshot();
    if (s.status !== 'active') return `the fund is ${s.status}; it accepts no commands`;
    if (!s.matches('running')) return `the fund is ${valueText(s.value).split('.')[0]}; ${what} only while it is running`;
    return null;
  };

  const pause = (): Outcome =>
    fundCommand({ type: 'operator.pause', nowMs: clock.now() }, () =>
      fund.getSnapshot().matches('running')
        ? 'trading paused: no new entries; exits, stops and candidates keep running'
        : 'pause recorded: trading will start paused',
    );

  const resume = (): Outcome => {
    const before = fund.getSnapshot().context.halt;
    return fundCommand({ type: 'operator.resume', nowMs: clock.now() }, () =>
      before ? `trading resumed; cleared halt (${before.source}: ${before.reason})` : 'trading resumed',
    );
  };

  const halt = (reason?: string): Outcome => {
    const why = reason?.trim() || 'operator halt';
    return fundCommand({ type: 'operator.halt', reason: why, nowMs: clock.now() }, () => `trading halted: ${why}; only an operator resume leaves it`);
  };

  const kill = (): Outcome =>
    fundCommand({ type: 'operator.kill', nowMs: clock.now() }, () => {
      const open = repos.positions.list().length;
      return `kill: closing ${open} open position${open === 1 ? '' : 's'}; trading stays halted (not paused) until an operator resume`;
    });

  const closePosition = (rawTag: string): Outcome => {
    const tag = typeof rawTag === 'string' ? rawTag.trim() : '';
    const valid = tagSchema.safeParse(tag);
    if (!valid.success) return refuse(`tag ${JSON.stringify(rawTag)} is not a position tag (1-64 characters of A-Z a-z 0-9 _ - . : starting with a letter or digit); /positions lists the open ones`);
    const stopped = notRunning('positions can be closed');
    if (stopped) return refuse(stopped);
    const row = repos.positions.byTag(tag);
    if (!row) {
      const open = repos.positions.list().map((p) => p.tag);
      return refuse(`no open position has tag ${tag}; open: ${open.length ? open.join(', ') : 'none'}`);
    }
    const symbolActor = symbolOf(fund.getSnapshot(), row.symbol);
    if (!symbolActor) {
      return refuse(`${row.symbol} has no symbol actor (configured symbols: ${settings.symbols.join(', ')}); close position ${tag} at the exchange`);
    }
    const positionActor = positionOf(symbolActor, tag);
    if (!positionActor) return refuse(`position ${tag} is in the store but its actor is not running under ${row.symbol} (reconciliation pending)`);
    const nowMs = clock.now();
    const closing = { type: 'position.close' as const, reason: OPERATOR_CLOSE_REASON, nowMs };
    if (!positionActor.getSnapshot().can(closing)) {
      return refuse(`position ${tag} cannot be closed now: it is ${valueText(positionActor.getSnapshot().value)}`);
    }
    symbolActor.send({ ...closing, tag });
    return { ok: true, message: `closing position ${tag}: ${toString(row.qty)} ${row.symbol} at market` };
  };

  const orchestrate = (): Outcome => {
    const stopped = notRunning('a cycle can start');
    if (stopped) return refuse(stopped);
    const orchestrator = orchestratorOf(fund.getSnapshot());
    if (!orchestrator) return refuse('the orchestrator is not running (it is being restarted or gave up; see /status)');
    const event = { type: 'orchestrator.requested' as const, source: 'operator' as const, nowMs: clock.now() };
    const s = orchestrator.getSnapshot();
    if (!s.can(event)) {
      const state = valueText(s.value);
      if (state === 'disabled') return refuse('the orchestrator is disabled: no advisor is configured (ANTHROPIC_API_KEY)');
      return refuse(`a cycle is already running (${s.context.cycle?.id ?? 'cycle'} is ${state}); wait for it to end`);
    }
    orchestrator.send(event);
    return { ok: true, message: 'orchestration cycle started (the token budget is checked first)' };
  };

  const reflectTonight = (): Outcome => {
    const orchestrator = orchestratorOf(fund.getSnapshot());
    if (orchestrator && valueText(orchestrator.getSnapshot().value) === 'disabled') {
      return refuse('the orchestrator is disabled: no advisor is configured (ANTHROPIC_API_KEY), so no reflection can run');
    }
    if (repos.systemMeta.get(REFLECT_TONIGHT_KEY) === '1') return { ok: true, message: 'a reflection is already set for the next cycle' };
    repos.systemMeta.set(REFLECT_TONIGHT_KEY, '1', clock.now());
    return { ok: true, message: 'a reflection will run at the start of the next cycle' };
  };

  const capital = (kind: 'deposit' | 'withdrawal', rawAmount: unknown, note?: string): Outcome => {
    const s = fund.getSnapshot();
    if (s.status !== 'active') return refuse(`the fund is ${s.status}; it accepts no commands`);
    const parsed = parseAmount(rawAmount, settings.amountDecimals, settings.quoteCurrency);
    if (!parsed.ok) return refuse(parsed.reason);
    const nowMs = clock.now();
    const event: CapitalEvent = {
      kind,
      amount: parsed.amount,
      tsEvent: nowMs,
      dayKey: localDayKey(nowMs, settings.timeZone),
      ...(note?.trim() ? { note: note.trim() } : {}),
    };
    const ledger = books.ledger();
    const booked = applyCapitalEvent(ledger, event);
    if (!booked.ok) return refuse(`${booked.reason.message} (${settings.quoteCurrency})`);
    repos.capitalEvents.record({
      kind,
      amount: parsed.amount,
      currency: settings.quoteCurrency,
      tsEvent: nowMs,
      dayKey: event.dayKey,
      venueRef: null,
      note: event.note ?? null,
      recordedAt: nowMs,
    });
    books.applied?.(event);
    const verb = kind === 'deposit' ? 'deposit' : 'withdrawal';
    return { ok: true, message: `${verb} of ${toString(parsed.amount)} ${settings.quoteCurrency} recorded; cash is now ${toString(booked.ledger.cash)} ${settings.quoteCurrency}` };
  };

  const runningCandidate = (slot: number) => {
    if (!Number.isInteger(slot) || slot < 1 || slot > settings.maxCandidates) {
      return { ok: false as const, reason: `slot must be an integer from 1 to ${settings.maxCandidates} (orchestrator.max_candidates); got ${String(slot)}` };
    }
    const candidate = repos.candidates.runningInSlot(slot);
    if (!candidate) {
      const running = repos.candidates.running().map((c) => `slot ${c.slot}: ${c.strategyVersion}`);
      return { ok: false as const, reason: `slot ${slot} holds no running candidate; running: ${running.length ? running.join(', ') : 'none'}` };
    }
    return { ok: true as const, candidate };
  };

  const vetoCandidate = (slot: number, reason?: string): Outcome => {
    const found = runningCandidate(slot);
    if (!found.ok) return refuse(found.reason);
    const { candidate } = found;
    const version = candidate.strategyVersion;
    const why = `operator veto${reason?.trim() ? `: ${reason.trim()}` : ''}`;
    const nowMs = clock.now();
    const snapshot = fund.getSnapshot();
    const underFundTest = snapshot.context.paperTest.status === 'running' && snapshot.context.paperTest.candidateVersion === version;
    const cancel = { type: 'paperTest.canceled' as const, reason: why, nowMs };
    if (underFundTest && !snapshot.can(cancel)) return refuse(`the fund cannot cancel the paper test of ${version} while it is ${valueText(snapshot.value).split('.')[0]}`);
    const orchestrator = orchestratorOf(snapshot);
    const trades = underFundTest ? snapshot.context.paperTest.trades : repos.candidateTrades.count(candidate.id);
    // The orchestrator waits in shadowTesting for this candidate's verdict: a veto is a failed one
    // (its gate then ends the cycle rejected, or inconclusive when too few trades were made).
    const verdict = { type: 'paperTest.completed' as const, candidateVersion: version, verdict: 'failed' as const, trades, psr: null, nowMs };
    const tellOrchestrator =
      orchestrator !== undefined && orchestrator.getSnapshot().context.cycle?.candidateVersion === version && orchestrator.getSnapshot().can(verdict);

    repos.transaction(() => {
      repos.candidates.resolve(candidate.id, 'canceled', why, nowMs);
      const test = repos.paperTests.runningFor(candidate.id);
      if (test) repos.paperTests.complete(test.id, 'canceled', JSON.stringify({ vetoed: true, reason: why, trades }), nowMs);
    });
    if (underFundTest) fund.send(cancel);
    let cycleEnd: string | null = null;
    if (tellOrchestrator) {
      orchestrator!.send(verdict);
      const outcome = orchestrator!.getSnapshot().context.lastOutcome;
      cycleEnd = outcome?.candidateVersion === version ? outcome.outcome : valueText(orchestrator!.getSnapshot().value);
    }
    if (deps.bus) {
      deps.bus.publish({ type: 'candidate.canceled', tsEvent: nowMs, data: { slot, version, reason: why, by: 'operator' } });
    }
    const effects = [underFundTest ? 'its paper test is canceled' : null, cycleEnd ? `the orchestrator cycle ended ${cycleEnd}` : null].filter(Boolean);
    return { ok: true, message: `candidate ${version} in slot ${slot} vetoed${effects.length ? `: ${effects.join('; ')}` : ''}` };
  };

  const forceCandidate = (slot: number, confirmation?: string): Outcome => {
    const found = runningCandidate(slot);
    if (!found.ok) return refuse(found.reason);
    const version = found.candidate.strategyVersion;
    const stopped = notRunning('a candidate can be promoted');
    if (stopped) return refuse(stopped);
    const orchestrator = orchestratorOf(fund.getSnapshot());
    if (!orchestrator) return refuse('the orchestrator is not running; a promotion goes through its promoting step');
    const o = orchestrator.getSnapshot();
    if (o.context.cycle?.candidateVersion !== version || valueText(o.value) !== 'shadowTesting') {
      return refuse(`no orchestrator cycle is shadow-testing ${version} (orchestrator: ${valueText(o.value)}); only a candidate under its shadow test can be promoted`);
    }
    const event: ForcePromotionEvent = { type: 'operator.forcePromotion', candidateVersion: version, nowMs: clock.now() };
    const handle = orchestrator as unknown as { getSnapshot(): { can(e: ForcePromotionEvent): boolean }; send(e: ForcePromotionEvent): void };
    if (!handle.getSnapshot().can(event)) {
      return refuse(`the orchestrator does not accept operator.forcePromotion in state ${valueText(o.value)}; a forced promotion needs that transition (shadowTesting → promoting)`);
    }
    const action = `forceCandidate:${slot}:${version}`;
    const nowMs = clock.now();
    if (confirmation === undefined || confirmation.trim() === '') {
      const issued = confirmations.issue(action, nowMs);
      const what = `promote candidate ${version} (slot ${slot}) to the live strategy now, without the promotion gate`;
      return {
        ok: false,
        reason: `confirmation required: this will ${what}; repeat with confirmation ${issued.token} before ${new Date(issued.expiresAtMs).toISOString()}`,
        confirmation: { token: issued.token, expiresAtMs: issued.expiresAtMs, action: what },
      };
    }
    const redeemed = confirmations.redeem(confirmation.trim(), action, nowMs);
    if (!redeemed.ok) return refuse(redeemed.reason);
    handle.send(event);
    return { ok: true, message: `promoting candidate ${version} (slot ${slot}) without the gate; the previous version stays ready for rollback` };
  };

  /** Runs one command (unknown kinds are refused). */
  return (command: OperatorCommand): Outcome => {
    switch (command.kind) {
      case 'pause':
        return pause();
      case 'resume':
        return resume();
      case 'halt':
        return halt(command.reason);
      case 'kill':
        return kill();
      case 'closePosition':
        return closePosition(command.tag);
      case 'orchestrate':
        return orchestrate();
      case 'reflectTonight':
        return reflectTonight();
      case 'deposit':
        return capital('deposit', command.amount, command.note);
      case 'withdraw':
        return capital('withdrawal', command.amount, command.note);
      case 'vetoCandidate':
        return vetoCandidate(command.slot, command.reason);
      case 'forceCandidate':
        return forceCandidate(command.slot, command.confirmation);
      default:
        return refuse(`unknown command ${JSON.stringify((command as { kind?: unknown }).kind)}; allowed: ${COMMAND_KINDS.join(', ')}`);
    }
  };
}

/** Every command kind, in the order of the docs. */
export const COMMAND_KINDS = [
  'pause',
  'resume',
  'halt',
  'kill',
  'closePosition',
  'orchestrate',
  'reflectTonight',
  'deposit',
  'withdraw',
  'vetoCandidate',
  'forceCandidate',
] as const satisfies readonly OperatorCommand['kind'][];
