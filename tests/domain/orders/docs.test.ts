import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDER_TRANSITIONS } from '../../../domain/orders/index.ts';

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

describe('docs/domain-orders-metrics.md renders the order table', () => {
  it('renders exactly ORDER_TRANSITIONS', () => {
    const rows = tableRows('order-table').map(([from, event, guard, to]) => ({ from, event, to, ...(guard ? { guard } : {}) }));
    expect(rows).toEqual(ORDER_TRANSITIONS.map((t) => ({ from: t.from, event: t.event, to: t.to, ...(t.guard ? { guard: t.guard } : {}) })));
  });

});
