/**
 * The operator surface's contract: the small interfaces it runs against (fund actor, store,
 * clock, books, risk state, bus), its settings, the commands it accepts and the results it
 * returns. Telegram and the HTTP API are thin formatters over these types.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import type { RiskLimits } from '../../domain/contract/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import type { CapitalEvent, Ledger } from '../../domain/portfolio/index.ts';
import type { Notifier } from '../../domain/ports/index.ts';
import type { RiskState } from '../../domain/risk/index.ts';
import type { FundInboundEvent, FundSnapshot, TradingState } from '../../machines/index.ts';

/** What the operator needs of the fund actor (a running `createActor(fundMachine…)` fits). */
export interface FundHandle {
  getSnapshot(): FundSnapshot;
  send(event: FundInboundEvent): void;
}

/** The injected clock (wall clock in paper/live, simulated in tests and sims). */
export interface OperatorClock {
  /** ms since epoch, UTC. */
  now(): number;
}

/** The fund's books: where cash and positions come from, and who learns of a capital event. */
export interface BooksHandle {
  /** The ledger as of now (positions marked at their latest price). May throw on corrupt data. */
  ledger(): Ledger;
  /**
   * Called after a capital event was recorded in the store, so the running portfolio books it
   * too. Absent when the store is the only copy (it is re-read on every `ledger()`).
   */
  applied?(event: CapitalEvent): void;
}

/** The live risk counters (the runtime's risk state), when there is one. */
export interface RiskHandle {
  riskState(): RiskState | null;
}

/** Fixed facts the surface reports and validates against. */
export interface OperatorSettings {
  readonly mode: 'paper' | 'live';
  /** The fund's software version (banner, status). */
  readonly version: string;
  /** Configured pairs. */
  readonly symbols: readonly string[];
  /** IANA zone of "today" (daily performance, token budget). */
  readonly timeZone: string;
  /** Quote currency of cash and amounts ('USD'). */
  readonly quoteCurrency: string;
  /** Decimals allowed in a deposit/withdrawal amount (2 for USD cents). */
  readonly amountDecimals: number;
  readonly limits: RiskLimits;
  /** Tokens allowed per local day (ai.daily_token_limit). */
  readonly dailyTokenLimit: number;
  /** Candidate slots (orchestrator.max_candidates). */
  readonly maxCandidates: number;
  /** When this process started, ms since epoch (uptime). */
  readonly startedAtMs: number;
  /** How long a force confirmation token stays valid, ms. */
  readonly confirmationTtlMs: number;
}

/** Everything `createOperator` needs. */
export interface OperatorDeps {
  readonly fund: FundHandle;
  readonly repos: Repositories;
  readonly clock: OperatorClock;
  readonly settings: OperatorSettings;
  /** Default: the store's first-principles books (`createStoreBooks`). */
  readonly books?: BooksHandle;
  /** The live risk counters; without it, risk and drawdown figures are reported as unknown. */
  readonly risk?: RiskHandle;
  /** Where commands are recorded (`operator.commanded`) and candidate vetoes announced. */
  readonly bus?: Notifier;
  /** Confirmation tokens (default: 8 random bytes as hex). */
  readonly newToken?: () => string;
}

// ───────────────────────────── commands ─────────────────────────────

/** Every command of the operator surface. `via` names the channel ('telegram', 'http', 'cli'). */
export type OperatorCommand = (
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'halt'; readonly reason?: string }
  /** Close every position and stay halted (not paused) until an operator resume. */
  | { readonly kind: 'kill' }
  | { readonly kind: 'closePosition'; readonly tag: string }
  | { readonly kind: 'orchestrate' }
  | { readonly kind: 'reflectTonight' }
  /** Amount: a positive decimal string in the quote currency ("250", "250.50"); numbers are refused (not exact). */
  | { readonly kind: 'deposit'; readonly amount: string; readonly note?: string }
  | { readonly kind: 'withdraw'; readonly amount: string; readonly note?: string }
  | { readonly kind: 'vetoCandidate'; readonly slot: number; readonly reason?: string }
  /** First call without `confirmation` returns a token; repeat with it (before it expires) to act. */
  | { readonly kind: 'forceCandidate'; readonly slot: number; readonly confirmation?: string }
) & { readonly via?: string };

/** One of the command kinds. */
export type OperatorCommandKind = OperatorCommand['kind'];

/** The fund as the operator sees it: enough to explain any refusal. */
export interface OperatorState {
  /** Top-level phase: booting, restoring, reconciling, running, stopping, stopped, faulted. */
  readonly phase: string;
  /** The trading region while running, else null. */
  readonly trading: TradingState | null;
  readonly halt: { readonly source: string; readonly reason: string; readonly sinceMs: number } | null;
  readonly pausedByOperator: boolean;
  readonly strategy: { readonly status: string; readonly version: string | null };
  readonly paperTest: { readonly status: string; readonly candidateVersion: string | null };
  /** The feed region while running, else null. */
  readonly feed: string | null;
  /** The orchestrator child's state ('idle', 'shadowTesting', ...), null when not running. */
  readonly orchestrator: string | null;
  /** One line: "running · trading halted (killSwitch: …) · strategy live v1 · orchestrator idle". */
  readonly summary: string;
}

/** A force confirmation to repeat within its lifetime. */
export interface ConfirmationRequest {
  readonly token: string;
  /** ms since epoch. */
  readonly expiresAtMs: number;
  /** What confirming will do. */
  readonly action: string;
}

/** Outcome of a command: never thrown, always with the fund's state after it. */
export type CommandResult =
  | { readonly ok: true; readonly command: OperatorCommandKind; readonly message: string; readonly state: OperatorState }
  | {
      readonly ok: false;
      readonly command: OperatorCommandKind;
      readonly reason: string;
      readonly state: OperatorState;
      /** Present when the command needs a confirmation (force a candidate). */
      readonly confirmation?: ConfirmationRequest;
    };

/** Outcome of a query: the view, or why there is none (bad argument, not found, store failure). */
export type QueryResult<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly reason: string };

/** Cash and the starting capital a store-only ledger needs. */
export interface StoreBooksOptions {
  readonly mode: 'paper' | 'live';
  readonly timeZone: string;
  readonly quoteCurrency: string;
  /** The persisted seed (default: `system_meta.paper_starting_capital`). */
  readonly startingCapital?: () => Fixed;
}
