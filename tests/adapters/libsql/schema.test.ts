import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_CATEGORIES,
  ACTIVITY_SEVERITIES,
  CANDIDATE_STATUSES,
  CAPITAL_EVENT_TYPES,
  CLOSE_REASONS,
  CONDITIONAL_STATUSES,
  INTENTS,
  LIQUIDITIES,
  ORDER_PURPOSES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  PAPER_TEST_STATUSES,
  PREDICTION_CONFIDENCES,
  PREDICTION_GRADES,
  SIGNAL_ACTIONS,
  SIGNAL_ORDER_TYPES,
  createRepositories,
  type Db,
  type Repositories,
} from '../../../adapters/libsql/index.ts';
import { ORDER_STATES } from '../../../domain/orders/index.ts';
import { fromString, toString as fixedText } from '../../../domain/money/index.ts';
import { runs } from '../../support/runs.ts';
import { BIG, T0, TINY, daily, order, position, signal, strategyVersion, trade } from './fixtures.ts';
import { freshStore, tableNames } from './support.ts';

/** Writes at least one row into every table through the repositories. */
function populateAll(r: Repositories): void {
  r.systemMeta.set('k', 'v', T0);
  r.checkpoints.save({ fundId: 1, step: 1, stepMs: T0, books: '{}', strategyVersion: 'v001', strategyState: null, updatedAt: T0 });
  r.candles.upsertMany('BTC/USD', '5m', [{ tsOpen: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }]);
  r.strategyVersions.insert(strategyVersion());
  r.positions.insert(position());
  const signalId = r.signals.insert(signal());
  r.orders.insert(order({ signalId }));
  r.fills.record({ clientOrderId: order().clientOrderId, tradeId: 'T1', quantity: TINY, price: BIG, fee: 0n, tsEvent: T0, tsInit: T0 });
  r.conditionalOrders.insert({
    tag: 't', symbol: 'BTC/USD', quantity: TINY, entryClientOrderId: order().clientOrderId, stopClientOrderId: order().clientOrderId,
    stopPrice: BIG, status: 'active', createdAt: T0, updatedAt: T0,
  });
  r.trades.insert(trade({ exitClientOrderId: order().clientOrderId }));
  r.dailyPerformance.upsert(daily());
  r.capitalEvents.record({ kind: 'deposit', amount: BIG, currency: 'USD', tsEvent: T0, dayKey: '2025-01-01', recordedAt: T0 });
  r.scanResults.insert({ scannedAt: T0, symbol: 'BTC/USD', price: BIG, spread: TINY, signalGenerated: false });
  r.feeSchedule.insert({ symbol: 'BTC/USD', makerFee: fromString('0.0025'), takerFee: fromString('0.004'), checkedAt: T0 });
  r.orchestratorLog.insert({ cycleId: 'c', date: '2025-01-01', decision: 'NO_CHANGE', outcome: 'noChange', tokensUsed: 1, costUsd: TINY, startedAt: T0, finishedAt: T0 });
  r.thoughts.insert({ cycleId: 'c', step: 's', model: 'm', inputSummary: 'i', fullResponse: 'r', createdAt: T0 });
  r.tokenUsage.insert({ model: 'm', purpose: 'p', inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: TINY, createdAt: T0 });
  r.analysisModules.insert({ module: 'marketAnalysis', version: 'm1', code: 'x', codeHash: 'h', description: '', createdAt: T0 });
  const c = r.candidates.create({ slot: 1, strategyVersion: 'v001', description: '', portfolioSnapshot: '{}', startingCash: BIG, evaluationDurationDays: 3, createdAt: T0 }, { maxSlots: 3 });
  if (!c.ok) throw new Error(c.reason);
  r.paperTests.start({ candidateId: c.id, strategyVersion: 'v001', minTrades: 5, startedAt: T0, deadlineAt: T0 + 1 });
  r.candidatePositions.insert({ ...position(), candidateId: c.id });
  const { exitClientOrderId: _unused, ...candidateTrade } = trade();
  r.candidateTrades.insert({ ...candidateTrade, candidateId: c.id });
  r.candidateSignals.insert({ ...signal(), candidateId: c.id });
  r.candidateDailyPerformance.upsert({ ...daily(), candidateId: c.id });
  r.observations.upsert({ date: '2025-01-01', cycleId: 'c', marketSummary: '', strategyAssessment: '', notableFindings: '', docFlag: false, createdAt: T0 });
  r.predictions.insert({ cycleId: 'c', claim: 'x', evidence: '', falsification: 'y', confidence: 'low', evaluationTimeframe: '', category: '', createdAt: T0 });
  r.strategyDocs.append('doc', 'c', T0);
  r.actorSnapshots.save({ actorId: 'fund', machine: 'fund', snapshotVersion: 1, snapshot: '{}', updatedAt: T0 });
  r.strategyState.save({ strategyVersion: 'v001', state: '{}', savedAt: T0 }, 10);
  r.activityLog.insert({ ts: T0, category: 'system', severity: 'info', summary: 'boot' });
}

function columnsOf(db: Db, table: string): { name: string; type: string }[] {
  return db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[];
}

function count(db: Db, sql: string): number {
  return (db.prepare(sql).raw(true).get() as [number])[0];
}

describe('stored representation', () => {
  it('every table can be written by its repository, and every timestamp column holds INTEGER ms', () => {
    const { db } = freshStore();
    populateAll(createRepositories(db));
    const timestampColumns: string[] = [];
    for (const table of tableNames(db)) {
      expect(count(db, `SELECT COUNT(*) FROM ${table}`), `${table} has a row`).toBeGreaterThan(0);
      for (const { name, type } of columnsOf(db, table)) {
        if (!/(_at$|^ts_|^ts$)/.test(name)) continue;
        timestampColumns.push(`${table}.${name}`);
        expect(type, `${table}.${name} is declared INTEGER`).toBe('INTEGER');
        expect(count(db, `SELECT COUNT(*) FROM ${table} WHERE typeof(${name}) NOT IN ('integer', 'null')`), `${table}.${name}`).toBe(0);
      }
    }
    expect(timestampColumns.length).toBeGreaterThan(40);
    // no date strings anywhere: the only text day labels are the named 'date'/'day_key' columns
    expect(timestampColumns.some((c) => c.startsWith('daily_performance.'))).toBe(true);
  });

  it('money is TEXT equal to domain/money toString, digit for digit', () => {
    const { db } = freshStore();
    populateAll(createRepositories(db));
    const row = db.prepare('SELECT qty, typeof(qty) AS t, cost_basis FROM positions').get() as { qty: unknown; t: string; cost_basis: unknown };
    expect(row).toMatchObject({ qty: '0.00000001', t: 'text', cost_basis: '123456789.123456789' });
    expect(fixedText(TINY)).toBe('0.00000001');
  });

  it('Fixed values round-trip exactly through signed and positive money columns', () => {
    const { db } = freshStore();
    const r = createRepositories(db);
    const id = r.positions.insert(position());
    const signalId = r.signals.insert(signal());
    const magnitude = fc.bigInt({ min: 1n, max: 10n ** 36n });
    // one transaction around the whole run: the property is about values, not durability
    r.transaction(() => fc.assert(
      fc.property(magnitude, fc.boolean(), (units, negative) => {
        const signed = negative ? -units : units;
        r.positions.update('auto_BTCUSD_001', { qty: units, updatedAt: T0 });
        r.signals.setOutcome(signalId, { actedOn: true });
        db.prepare('UPDATE signals SET size = ? WHERE id = ?').run(fixedText(signed), signalId);
        return r.positions.byTag('auto_BTCUSD_001')?.qty === units && r.signals.byId(signalId)?.size === signed;
      }),
      { numRuns: runs(1000) },
    ));
    expect(id).toBe(1);
  });
});

describe('CHECK constraints', () => {
  // Each closed set in repos/enums.ts against the CHECK in the SQL: every value accepted, an outsider refused.
  const cases: { table: string; column: string; values: readonly string[]; set?: (v: string) => string }[] = [
    { table: 'positions', column: 'intent', values: INTENTS },
    { table: 'signals', column: 'action', values: SIGNAL_ACTIONS },
    { table: 'signals', column: 'order_type', values: SIGNAL_ORDER_TYPES },
    { table: 'orders', column: 'status', values: ORDER_STATUSES },
    { table: 'orders', column: 'side', values: ORDER_SIDES },
    { table: 'orders', column: 'purpose', values: ORDER_PURPOSES },
    {
      table: 'orders', column: 'type', values: ORDER_TYPES,
      set: (v) => (v === 'limit' ? "limit_price = '1', trigger_price = NULL" : v === 'market' ? 'limit_price = NULL, trigger_price = NULL' : "limit_price = NULL, trigger_price = '1'"),
    },
    { table: 'fills', column: 'liquidity', values: LIQUIDITIES },
    { table: 'conditional_orders', column: 'status', values: CONDITIONAL_STATUSES },
    { table: 'trades', column: 'close_reason', values: CLOSE_REASONS },
    { table: 'capital_events', column: 'kind', values: CAPITAL_EVENT_TYPES },
    { table: 'candidates', column: 'status', values: CANDIDATE_STATUSES, set: (v) => (v === 'running' ? 'resolved_at = NULL' : 'resolved_at = 1') },
    { table: 'paper_tests', column: 'status', values: PAPER_TEST_STATUSES, set: (v) => (v === 'running' ? 'completed_at = NULL' : 'completed_at = 1') },
    { table: 'predictions', column: 'confidence', values: PREDICTION_CONFIDENCES },
    { table: 'predictions', column: 'grade', values: PREDICTION_GRADES, set: () => 'graded_at = 1' },
    { table: 'activity_log', column: 'category', values: ACTIVITY_CATEGORIES },
    { table: 'activity_log', column: 'severity', values: ACTIVITY_SEVERITIES },
  ];

  it('every closed set in repos/enums.ts equals the CHECK of its column: each value accepted, an outsider refused', () => {
    const { db } = freshStore();
    populateAll(createRepositories(db));
    const tryValue = (table: string, column: string, value: string, set?: (v: string) => string) => {
      db.exec('SAVEPOINT probe');
      try {
        const extra = set ? `, ${set(value)}` : '';
        db.prepare(`UPDATE ${table} SET ${column} = ?${extra} WHERE rowid = (SELECT MIN(rowid) FROM ${table})`).run(value);
      } finally {
        db.exec('ROLLBACK TO probe');
        db.exec('RELEASE probe');
      }
    };
    for (const { table, column, values, set } of cases) {
      for (const value of values) expect(() => tryValue(table, column, value, set), `${table}.${column} = ${value}`).not.toThrow();
      expect(() => tryValue(table, column, 'notInTheSet', set), `${table}.${column} outsider`).toThrow(/CHECK constraint/);
    }
  });

  it('order statuses are exactly domain/orders ORDER_STATES', () => {
    expect([...ORDER_STATUSES]).toEqual([...ORDER_STATES]);
  });

  it.each([
    ['0', 'zero'],
    ['-0.5', 'negative'],
    ['1.0e-08', 'float notation'],
    ['1.2.3', 'two points'],
    ['abc', 'garbage'],
  ])('positions.qty refuses %s (%s)', (text) => {
    const { db } = freshStore();
    populateAll(createRepositories(db));
    expect(() => db.prepare('UPDATE positions SET qty = ?').run(text)).toThrow(/CHECK constraint/);
  });

  it('STRICT typing refuses a fractional or textual timestamp and a float bound to a money column', () => {
    const { db } = freshStore();
    populateAll(createRepositories(db));
    expect(() => db.prepare('UPDATE positions SET opened_at = ?').run(1.5)).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() => db.prepare('UPDATE positions SET opened_at = ?').run('2025-01-01')).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare('UPDATE positions SET qty = ?').run(1e-8)).toThrow(/CHECK constraint/);
  });
});
