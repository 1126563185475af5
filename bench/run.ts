/**
 * `npm run bench`: runs the benchmarks, writes each result as JSON under bench/results/<name>.json
 * and prints a summary.
 *
 *   npx tsx bench/run.ts [backtest] [soak] [indicators] [sandbox] [--repeats N]
 *
 * With no names, all four run, each in its own child process (so one cannot inherit another's
 * heap, JIT state or peak RSS). `backtest` and `soak` need the real candles of ../shared/data
 * (BRAIN_SHARED_DATA overrides the folder), and so does `sandbox`; on a clean clone without it they are skipped with a
 * message, not failed. `indicators` runs bench/indicators.bench.ts and stores its JSON. Not a
 * test: nothing here asserts a time; DESIGN.md §8 targets are reported as met or not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backtestBench } from './backtest.bench.ts';
import { SHARED_DATA_DIR, missingFiles } from './data.ts';
import { soakBench } from './soak.bench.ts';
import { sandboxBench } from './sandbox.bench.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const ALL = ['backtest', 'soak', 'indicators', 'sandbox'] as const;

function save(name: string, result: Record<string, unknown>): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify({ ...result, measuredAt: new Date().toISOString() }, null, 2)}\n`);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const child = args[0] === '--child';
  if (child) args.shift();
  const r = args.indexOf('--repeats');
  const repeats = r >= 0 ? Number(args[r + 1]) : 5;
  const names = args.filter((a, i) => !a.startsWith('--') && (r < 0 || i !== r + 1));
  const unknown = names.filter((n) => !(ALL as readonly string[]).includes(n));
  if (unknown.length > 0 || !Number.isInteger(repeats) || repeats < 1) {
    process.stderr.write(`usage: npx tsx bench/run.ts [${ALL.join('] [')}] [--repeats N ≥ 1]; unknown: ${unknown.join(', ') || `--repeats ${args[r + 1]}`}\n`);
    return 2;
  }
  const selected = names.length === 0 ? [...ALL] : names;
  const missing = missingFiles();

  if (!child && selected.length > 1) {
    for (const name of selected) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', name, '--repeats', String(repeats)], { stdio: 'inherit' });
      if (r.status !== 0) return r.status ?? 1;
    }
    return 0;
  }
  for (const name of selected) {
    if ((name === 'backtest' || name === 'soak' || name === 'sandbox') && missing.length > 0) {
      const reason = `skipped: real candles not found in ${SHARED_DATA_DIR} (missing ${missing.join(', ')}); set BRAIN_SHARED_DATA to the folder with them`;
      process.stdout.write(`${name}: ${reason}\n`); // earlier results in bench/results stay as they were
      continue;
    }
    if (name === 'backtest') {
      process.stdout.write('backtest: running (1 year × 3 symbols of 5m candles, v001, full pipeline)…\n');
      const b = (await backtestBench({ repeats })) as {
        data: { candles: number };
        ours: { candlesPerSecond: number; candlesPerCpuSecond: number; medianMs: number; trades: number };
        latencyPerDecisionMicros: { p50: number; p99: number; max: number };
        handLoop: { candlesPerSecond: number; trades: number };
        grademark: { candlesPerSecond: number; trades: number };
        baselinesAgree: boolean;
        ratios: { oursToHandLoop: number; oursToGrademark: number };
        target: { met: boolean };
        peakRssMiB: number;
      } & Record<string, unknown>;
      save('backtest', b);
      process.stdout.write(
        [
          `  ours        ${fmt(b.ours.candlesPerSecond)} candles/s (${fmt(b.data.candles)} candles in ${b.ours.medianMs} ms, median; ${fmt(b.ours.candlesPerCpuSecond)} per CPU second), ${b.ours.trades} trades; target 1,500,000: ${b.target.met ? 'met' : 'NOT met'}`,
          `  hand loop   ${fmt(b.handLoop.candlesPerSecond)} candles/s, ${b.handLoop.trades} trades → ours = ${b.ratios.oursToHandLoop} × the hand loop`,
          `  grademark   ${fmt(b.grademark.candlesPerSecond)} candles/s, ${b.grademark.trades} trades → ours = ${b.ratios.oursToGrademark} × grademark`,
          `  baselines produce the same trades: ${b.baselinesAgree ? 'yes' : 'NO'}`,
          `  per decision (3 symbols): p50 ${b.latencyPerDecisionMicros.p50} µs, p99 ${b.latencyPerDecisionMicros.p99} µs, max ${b.latencyPerDecisionMicros.max} µs; peak RSS ${b.peakRssMiB} MiB`,
        ].join('\n') + '\n',
      );
    } else if (name === 'soak') {
      process.stdout.write('soak: running (30 simulated days, yielding to the event loop every step)…\n');
      const s = (await soakBench()) as { rss: { afterDay1MiB: number; afterDay30MiB: number; growthPct: number; met: boolean }; eventLoopDelayMs: { max: number; p99: number; met: boolean }; longestStepMs: number; loadAverage: number[]; wallSeconds: number } & Record<string, unknown>;
      save('soak', s);
      process.stdout.write(
        `  RSS ${s.rss.afterDay1MiB} → ${s.rss.afterDay30MiB} MiB (${s.rss.growthPct} %; budget 5 %: ${s.rss.met ? 'met' : 'NOT met'}); event-loop delay p99 ${s.eventLoopDelayMs.p99} ms, max ${s.eventLoopDelayMs.max} ms (budget 50: ${s.eventLoopDelayMs.met ? 'met' : 'NOT met'}; includes time other processes held the CPU); longest step ${s.longestStepMs} ms; load average ${s.loadAverage.join(' ')}; ${s.wallSeconds} s\n`,
      );
    } else if (name === 'sandbox') {
      process.stdout.write('sandbox: running (v001 in the QuickJS sandbox vs in-process: per-call cost, 3 symbols; backtest 30 days × 3 symbols)…\n');
      const s = (await sandboxBench({ repeats: Math.min(repeats, 3) })) as {
        perCallMicros: { sandbox: { p50: number; p99: number }; inProcess: { p50: number; p99: number } };
        backtest: { sandbox: { candlesPerSecond: number }; inProcess: { candlesPerSecond: number }; sandboxToInProcess: number; sameTrades: boolean };
      } & Record<string, unknown>;
      save('sandbox', s);
      process.stdout.write(
        `  per analyze (3 symbols): sandbox p50 ${s.perCallMicros.sandbox.p50} µs, p99 ${s.perCallMicros.sandbox.p99} µs; in-process p50 ${s.perCallMicros.inProcess.p50} µs, p99 ${s.perCallMicros.inProcess.p99} µs\n` +
          `  backtest with the sandbox ${fmt(s.backtest.sandbox.candlesPerSecond)} candles/s, in-process ${fmt(s.backtest.inProcess.candlesPerSecond)} (× ${s.backtest.sandboxToInProcess}); same trades: ${s.backtest.sameTrades ? 'yes' : 'NO'}\n`,
      );
    } else {
      process.stdout.write('indicators: running bench/indicators.bench.ts (2,000,000 values, 3 repeats)…\n');
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'indicators.bench.ts'), '2000000', '3'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      if (child.status !== 0) {
        process.stdout.write(`  failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
        save('indicators', { name: 'indicators', failed: child.stderr.trim().slice(-2000) });
        continue;
      }
      const result = JSON.parse(child.stdout) as Record<string, unknown>;
      save('indicators', { name: 'indicators', ...result });
      process.stdout.write(`  written to bench/results/indicators.json\n`);
    }
  }
  return 0;
}

process.exitCode = await main();
