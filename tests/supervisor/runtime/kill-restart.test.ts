/**
 * Kill-and-restart (issue #4 acceptance): a paper fund in its own process is SIGKILLed at 50
 * random points; after each kill the persisted state (checkpoint, books, trades, positions,
 * signals, halt record) must equal that of an uninterrupted run at the same step count, and the
 * run finished across all the restarts must equal the uninterrupted run's end state. Seeded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRepositories, migrate, openStore } from '../../../adapters/libsql/index.ts';
import { seededRandom } from '../../../strategies/in-process/index.ts';
import { freshStore, tempDir } from '../../adapters/libsql/support.ts';
import { type PersistedState, persistedState } from './support/digest.ts';
import { DAY, FIXTURE_START, fixtureCandles, seedHistory, simFund } from './support.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = join(ROOT, 'tests/supervisor/runtime/support/paper-child.ts');
const KILLS = 50;
const FROM = FIXTURE_START + DAY;
const TO = FIXTURE_START + 3 * DAY; // two days: 576 steps

function startChild(dbPath: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, String(TO)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the child's exit once `when(line)` said kill (after `delayMs`), or when it ends by itself. */
function runUntilKilled(child: ChildProcess, killAtStep: number, delayMs: number): Promise<{ killed: boolean; stderr: string; lastStep: number }> {
  return new Promise((resolve) => {
    let stderr = '';
    let lastStep = -1;
    let buffer = '';
    let killed = false;
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^step (\d+)$/.exec(line);
        if (m) lastStep = Number(m[1]);
        if (!killed && (line === 'ready' ? killAtStep === 0 : m !== null && lastStep >= killAtStep)) {
          killed = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('exit', (_code, signal) => resolve({ killed: signal === 'SIGKILL', stderr, lastStep }));
  });
}

describe('kill and restart', () => {
  it(`a paper fund SIGKILLed at ${KILLS} random points persists exactly what an uninterrupted run does`, async () => {
    // The uninterrupted reference, in this process: the persisted state after every step.
    const reference = new Map<number, string>();
    {
      const { db } = freshStore();
      const repos = createRepositories(db);
      const candles = fixtureCandles();
      seedHistory(repos, candles, FROM);
      const { fund } = await simFund(db, { startMs: FROM });
      reference.set(0, persistedState(repos).digest);
      await fund.replay(candles, TO, (_t, step) => void reference.set(step, persistedState(repos).digest));
      await fund.stop();
    }
    const total = Math.max(...reference.keys());
    expect(total).toBe(576);

    const dbPath = join(tempDir(), 'killed.db');
    const rand = seededRandom(4242);
    const checks: PersistedState[] = [];
    let kills = 0;
    let finished = false;
    while (!finished) {
      const child = startChild(dbPath);
      const progress = (() => {
        const db = openStore({ path: dbPath });
        migrate(db);
        const s = persistedState(createRepositories(db)).step;
        db.close();
        return s;
      })();
      // Spread the kills over the run: kill a few steps after this start, at a random sub-step delay.
      const killAt = kills < KILLS ? progress + Math.floor(rand() * (2 * (total - progress) / (KILLS - kills + 1))) : Number.POSITIVE_INFINITY;
      const outcome = await runUntilKilled(child, killAt, Math.floor(rand() * 4));
      if (!outcome.killed) {
        expect(outcome.stderr).toBe('');
        finished = true;
      } else kills += 1;
      const db = openStore({ path: dbPath });
      const state = persistedState(createRepositories(db));
      db.close();
      checks.push(state);
      expect(reference.get(state.step), `persisted state after kill ${kills} at step ${state.step}`).toBe(state.digest);
    }
    expect(kills).toBe(KILLS);
    expect(checks[checks.length - 1]!.step).toBe(total);
    // the kills landed at many different points, not all at the start
    expect(new Set(checks.map((c) => c.step)).size).toBeGreaterThan(30);
  }, 600_000);
});
