/**
 * The operator surface against the running actor system (not fakes): every command is a machine
 * event; the books follow (pause blocks entries, close-by-tag and kill close in the books,
 * deposits reach the running ledger, resume lifts the halt), and a refusal names the state.
 */
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../../../adapters/libsql/index.ts';
import { createOperator } from '../../../supervisor/operator/index.ts';
import { createStoreBooks } from '../../../supervisor/operator/books.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { settings as operatorSettings } from '../operator/support.ts';
import { DAY, FIXTURE_START, M5, fixtureCandles, seedHistory, simFund } from './support.ts';

const FROM = FIXTURE_START + DAY;

describe('operator commands on the running fund', () => {
  it('pause, close by tag, deposit, kill and resume act on the actors and the books', async () => {
    const { db } = freshStore();
    const repos = createRepositories(db);
    const candles = fixtureCandles();
    seedHistory(repos, candles, FROM);
    repos.systemMeta.set('paper_starting_capital', '10000', 0);
    const { fund } = await simFund(db, { startMs: FROM });
    const engine = fund.engine;
    const operator = createOperator({
      fund: fund.runtime,
      repos,
      clock: { now: () => fund.clock.now() },
      settings: operatorSettings({ symbols: ['ETH/USD', 'SOL/USD'], timeZone: 'UTC' }),
      books: { ledger: () => engine.books().ledger, applied: (e) => void engine.applyCapital(e) },
      risk: { riskState: () => engine.books().risk },
    });
    const step = async (until: number) => {
      await fund.replay(candles, until);
      await fund.runtime.idle();
    };
    // trade until a position is open
    let t = FROM;
    while (engine.books().ledger.positions.length === 0) await step((t += M5));
    const tag = engine.books().ledger.positions[0]!.tag;

    // close by tag: the position actor asks, the books close it, the trade row is written
    const closed = operator.execute({ kind: "closePosition", tag });
    expect(closed.ok).toBe(true);
    await fund.runtime.idle();
    expect(engine.books().ledger.positions.map((p) => p.tag)).not.toContain(tag);
    expect(repos.trades.list({ limit: 10 }).map((r) => r.tag)).toContain(tag);

    // pause: no entry opens while paused, whatever the strategy says
    expect(operator.execute({ kind: 'pause' }).ok).toBe(true);
    const before = repos.signals.list({ limit: 10_000 }).filter((s) => s.action === 'BUY' && s.actedOn).length;
    await step((t += DAY / 2));
    expect(repos.signals.list({ limit: 10_000 }).filter((s) => s.action === 'BUY' && s.actedOn).length).toBe(before);
    const refused = operator.execute({ kind: 'pause' });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toMatch(/already paused/);

    // deposit: the running ledger and the store agree to the cent
    const cashBefore = engine.books().ledger.cash;
    expect(operator.execute({ kind: 'deposit', amount: '250.50' }).ok).toBe(true);
    expect(engine.books().ledger.cash - cashBefore).toBe(250_500_000_000_000_000_000n);
    expect(createStoreBooks(repos, { mode: 'paper', timeZone: 'UTC', quoteCurrency: 'USD' }).ledger().cash).toBe(engine.books().ledger.cash);

    // resume, trade until a position opens, then kill: everything closed, halted
    expect(operator.execute({ kind: 'resume' }).ok).toBe(true);
    while (engine.books().ledger.positions.length === 0 && t < FIXTURE_START + 5 * DAY) await step((t += M5));
    expect(engine.books().ledger.positions.length).toBeGreaterThan(0);
    expect(operator.execute({ kind: 'kill' }).ok).toBe(true);
    await fund.runtime.idle();
    expect(engine.books().ledger.positions).toEqual([]);
    expect(fund.runtime.snapshot().context.halt?.source).toBe('killSwitch');
    expect(engine.books().risk.killSwitch).toBe(true);
    // only resume leaves the halt; it clears the books' kill switch too
    expect(operator.execute({ kind: 'resume' }).ok).toBe(true);
    await fund.runtime.idle();
    expect(fund.runtime.snapshot().context.halt).toBeNull();
    expect(engine.books().risk.killSwitch).toBe(false);
    await fund.stop();
  }, 60_000);
});
