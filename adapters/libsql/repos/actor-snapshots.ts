/** Persisted actor snapshots (`actor_snapshots`): the latest snapshot of each long-lived actor. */
import { defineTable, selectOne, selectRows, upsertRow, type Statements } from './codec.ts';

/**
 * The latest persisted snapshot of one actor. `actorId`: its system id ('fund',
 * 'symbol:BTC/USD', ...); `machine`: the machine's id; `snapshotVersion`: version (>= 1) of the
 * snapshot shape for that machine, so a restore can refuse or upgrade an old one; `snapshot`: the
 * `getPersistedSnapshot()` JSON text. `updatedAt`: ms UTC.
 */
export interface ActorSnapshotRow {
  readonly actorId: string;
  readonly machine: string;
  readonly snapshotVersion: number;
  readonly snapshot: string;
  readonly updatedAt: number;
}

const table = defineTable<ActorSnapshotRow>('actor_snapshots', {
  actorId: 'text',
  machine: 'text',
  snapshotVersion: 'int',
  snapshot: 'text',
  updatedAt: 'int',
});

/** Repository for `actor_snapshots`. */
export interface ActorSnapshotRepo {
  /** Stores (replaces) the snapshot of `row.actorId`. Throws SQLite's CHECK error on invalid JSON. */
  save(row: ActorSnapshotRow): void;
  get(actorId: string): ActorSnapshotRow | undefined;
  /** Every stored snapshot, by actor id. */
  list(): ActorSnapshotRow[];
  /** Forgets `actorId` (a stopped actor); false when there was none. */
  delete(actorId: string): boolean;
}

/** Creates the `actor_snapshots` repository. */
export function createActorSnapshotRepo(st: Statements): ActorSnapshotRepo {
  return {
    save: (row) => upsertRow(st, table, row, ['actorId']),
    get: (actorId) => selectOne(st, table, 'WHERE actor_id = ?', [actorId]),
    list: () => selectRows(st, table, 'ORDER BY actor_id'),
    delete: (actorId) => st.rows('DELETE FROM actor_snapshots WHERE actor_id = ?').run(actorId).changes > 0,
  };
}
