import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRUTH_METRICS } from '../../../domain/metrics/index.ts';

const DOC = readFileSync(new URL('../../../docs/domain-orders-metrics.md', import.meta.url), 'utf8');

/** The body rows of the markdown table between `<!-- name:start -->` and `<!-- name:end -->`, cells unquoted. */
function tableRows(name: string): string[][] {
  const body = DOC.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0];
  if (body === undefined) throw new Error(`docs/domain-orders-metrics.md has no ${name} table`);
  return body
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/`/g, '')));
}

describe('docs/domain-orders-metrics.md maps the truth metrics', () => {
  it('maps every registry metric, in order, to its function', () => {
    const rows = tableRows('metrics-table');
    expect(rows).toHaveLength(TRUTH_METRICS.length);
    rows.forEach(([, predecessorKey, fn], i) => {
      const metric = TRUTH_METRICS[i]!;
      expect(fn!.startsWith(`${metric.key}(`), `${fn} vs ${metric.key}`).toBe(true);
      expect(predecessorKey).toBe(metric.predecessorKey ?? '(new)');
    });
  });
});
