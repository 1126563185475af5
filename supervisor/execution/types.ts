/**
 * What the live-execution services need: the venue port, the store's repositories and a clock.
 * The runtime builds one `ExecutionDeps` per venue instance (live: the Kraken venue; paper and
 * sim: the sim venue) and hands it to `createOrderService`, `createProtectionService` and
 * `reconcile`.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import type { Venue } from '../../domain/ports/index.ts';
import type { ReadRetryPolicy, RetryRuntime } from './retry.ts';

/** The repositories the execution services read and write. */
export type ExecutionRepos = Pick<Repositories, 'orders' | 'fills' | 'conditionalOrders' | 'positions' | 'systemMeta' | 'transaction'>;

/** Dependencies of the execution services. */
export interface ExecutionDeps {
  readonly venue: Venue;
  readonly repos: ExecutionRepos;
  /** Local wall (or simulated) clock, ms since epoch UTC: `tsInit`, `updatedAt`, local order events. */
  readonly now: () => number;
  /** Sleep and jitter for retried reads and lookup grace periods. */
  readonly runtime: RetryRuntime;
  /** Retry policy of venue reads (default `DEFAULT_READ_RETRY`). */
  readonly readRetry?: ReadRetryPolicy;
}
