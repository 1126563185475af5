/**
 * Persistent key/value facts (`system_meta`) and the per-API-key nonce high-water mark.
 * Well-known keys are listed in docs/schema.md.
 */
import { withTransaction } from '../db.ts';
import { StoreError } from '../errors.ts';
import { defineTable, intParam, selectOne, selectRows, type Statements } from './codec.ts';

/** One `system_meta` entry. `updatedAt`: ms since epoch, UTC. */
export interface SystemMetaRow {
  readonly key: string;
  readonly value: string;
  readonly updatedAt: number;
}

const table = defineTable<SystemMetaRow>('system_meta', { key: 'text', value: 'text', updatedAt: 'int' });

const NONCE_PREFIX = 'nonce:';
const MAX_NONCE = 2n ** 64n - 1n;

/** Repository for `system_meta`. */
export interface SystemMetaRepo {
  /** The value stored under `key`, or undefined. */
  get(key: string): string | undefined;
  /** Stores `value` under `key` (insert or overwrite). */
  set(key: string, value: string, nowMs: number): void;
  /** Removes `key`; returns whether it existed. */
  delete(key: string): boolean;
  /** Every entry, by key. */
  all(): SystemMetaRow[];
  /**
   * Reserves the next nonce for `scope` (e.g. a Kraken API key label, never the key itself):
   * returns max(candidate, last + 1) and persists it in the same transaction, so nonces stay
   * strictly increasing across restarts and clock steps. Throws `StoreError` beyond 2^64 - 1.
   */
  nextNonce(scope: string, candidate: bigint, nowMs: number): bigint;
  /** The last nonce reserved for `scope`, or undefined if none. */
  lastNonce(scope: string): bigint | undefined;
}

/** Creates the `system_meta` repository. */
export function createSystemMetaRepo(st: Statements): SystemMetaRepo {
  const repo: SystemMetaRepo = {
    get(key) {
      return selectOne(st, table, 'WHERE key = ?', [key])?.value;
    },
    set(key, value, nowMs) {
      st.rows(
        'INSERT INTO system_meta (key, value, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      ).run(key, value, intParam('system_meta.updated_at', nowMs));
    },
    delete(key) {
      return st.rows('DELETE FROM system_meta WHERE key = ?').run(key).changes > 0;
    },
    all() {
      return selectRows(st, table, 'ORDER BY key');
    },
    nextNonce(scope, candidate, nowMs) {
      if (candidate < 0n) throw new StoreError(`nonce candidate must be non-negative, got ${candidate}`);
      return withTransaction(st.db, () => {
        const last = repo.lastNonce(scope);
        const next = last !== undefined && last >= candidate ? last + 1n : candidate;
        if (next > MAX_NONCE) throw new StoreError(`nonce for ${JSON.stringify(scope)} would exceed 2^64 - 1`);
        repo.set(NONCE_PREFIX + scope, next.toString(), nowMs);
        return next;
      });
    },
    lastNonce(scope) {
      const text = repo.get(NONCE_PREFIX + scope);
      if (text === undefined) return undefined;
      if (!/^\d+$/.test(text)) throw new StoreError(`corrupt nonce for ${JSON.stringify(scope)}: ${JSON.stringify(text)}`);
      return BigInt(text);
    },
  };
  return repo;
}
