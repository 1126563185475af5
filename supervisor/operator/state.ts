/**
 * Reading the actor system for the operator: the fund's state in one value (for every reply and
 * every refusal), and the child actors commands are addressed to (orchestrator, symbols,
 * positions). Pure reads of snapshots; nothing is sent here.
 */
import type { AnyActorRef } from 'xstate';
import {
  type FundSnapshot,
  type OrchestratorContext,
  type OrchestratorEvent,
  type PositionContext,
  type PositionEvent,
  type SymbolContext,
  type SymbolInboundEvent,
  deriveTradingState,
  positionActorId,
  symbolActorId,
} from '../../machines/index.ts';
import type { OperatorState } from './types.ts';

/** A child actor as the operator uses it: its snapshot (value, context, `can`) and `send`. */
export interface ChildHandle<C, E> {
  getSnapshot(): { readonly value: unknown; readonly status: string; readonly context: C; can(event: E): boolean; readonly children: Record<string, unknown> };
  send(event: E): void;
}

/** The dotted form of a state value: 'shadowTesting', 'running.trading.halted'. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const [key, inner] = Object.entries(value)[0] ?? ['?', undefined];
  return inner === undefined || (typeof inner === 'object' && inner !== null && Object.keys(inner).length === 0) ? key : `${key}.${valueText(inner)}`;
}

function region(snapshot: FundSnapshot, name: string): string | null {
  const v = snapshot.value as unknown;
  if (typeof v !== 'object' || v === null || !('running' in v)) return null;
  const r = (v as { running: Record<string, unknown> }).running[name];
  return r === undefined ? null : valueText(r);
}

/** The orchestrator child, when the fund has spawned it. */
export function orchestratorOf(snapshot: FundSnapshot): ChildHandle<OrchestratorContext, OrchestratorEvent> | undefined {
  return child(snapshot.children, 'orchestrator');
}

/** The symbol actor of `symbol`, when running. */
export function symbolOf(snapshot: FundSnapshot, symbol: string): ChildHandle<SymbolContext, SymbolInboundEvent> | undefined {
  return child(snapshot.children, symbolActorId(symbol));
}

/** The position actor with `tag` under a symbol actor, when it exists. */
export function positionOf(
  symbolActor: ChildHandle<SymbolContext, SymbolInboundEvent>,
  tag: string,
): ChildHandle<PositionContext, PositionEvent> | undefined {
  return child(symbolActor.getSnapshot().children, positionActorId(tag));
}

function child<C, E>(children: Record<string, unknown>, id: string): ChildHandle<C, E> | undefined {
  const ref = children[id] as AnyActorRef | undefined;
  return ref ? (ref as unknown as ChildHandle<C, E>) : undefined;
}

/** The fund's state as the operator reports it (pure). */
export function describeState(snapshot: FundSnapshot): OperatorState {
  const ctx = snapshot.context;
  const running = snapshot.status === 'active' && snapshot.matches('running');
  const phase = snapshot.status === 'active' ? valueText(snapshot.value).split('.')[0]! : snapshot.status === 'done' ? 'stopped' : snapshot.status;
  const trading = running ? deriveTradingState(ctx) : null;
  const orchestrator = orchestratorOf(snapshot);
  const orchestratorState = orchestrator ? valueText(orchestrator.getSnapshot().value) : null;
  const halt = ctx.halt ? { source: ctx.halt.source, reason: ctx.halt.reason, sinceMs: ctx.halt.sinceMs } : null;
  const parts = [phase];
  if (trading !== null) {
    parts.push(
      trading === 'halted'
        ? `trading halted (${halt?.source}: ${halt?.reason})`
        : trading === 'paused' && !ctx.pausedByOperator
          ? `trading paused (no usable strategy: ${ctx.strategy.status})`
          : `trading ${trading}`,
    );
  } else if (halt) {
    parts.push(`halt on record (${halt.source}: ${halt.reason})`);
  }
  parts.push(`strategy ${ctx.strategy.status}${ctx.strategy.version ? ` ${ctx.strategy.version}` : ''}`);
  if (ctx.paperTest.status === 'running') parts.push(`paper test ${ctx.paperTest.candidateVersion}`);
  if (orchestratorState !== null) parts.push(`orchestrator ${orchestratorState}`);
  return {
    phase,
    trading,
    halt,
    pausedByOperator: ctx.pausedByOperator,
    strategy: { status: ctx.strategy.status, version: ctx.strategy.version },
    paperTest: { status: ctx.paperTest.status, candidateVersion: ctx.paperTest.candidateVersion },
    feed: region(snapshot, 'feed'),
    orchestrator: orchestratorState,
    summary: parts.join(' · '),
  };
}
