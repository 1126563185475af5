import { describe, expect, it } from 'vitest';
import { createRepositories } from '../../../adapters/libsql/index.ts';
import { freshStore } from './support.ts';

describe('fund_checkpoint', () => {
  it('keeps one row per fund: a save replaces the previous checkpoint', () => {
    const { db } = freshStore();
    const r = createRepositories(db);
    expect(r.checkpoints.get()).toBeUndefined();
    r.checkpoints.save({ fundId: 1, step: 1, stepMs: 300_000, books: '{"a":1}', strategyVersion: null, strategyState: null, updatedAt: 1 });
    r.checkpoints.save({ fundId: 1, step: 2, stepMs: 600_000, books: '{"a":2}', strategyVersion: 'v001', strategyState: '{"x":1}', updatedAt: 2 });
    expect(r.checkpoints.get()).toEqual({ fundId: 1, step: 2, stepMs: 600_000, books: '{"a":2}', strategyVersion: 'v001', strategyState: '{"x":1}', updatedAt: 2 });
    expect((db.prepare('SELECT COUNT(*) AS n FROM fund_checkpoint').get() as { n: number }).n).toBe(1);
  });

  it('refuses books that are not JSON', () => {
    const { db } = freshStore();
    const r = createRepositories(db);
    expect(() => r.checkpoints.save({ fundId: 1, step: 0, stepMs: 0, books: '{oops', strategyVersion: null, strategyState: null, updatedAt: 0 })).toThrow(/CHECK/);
  });
});
