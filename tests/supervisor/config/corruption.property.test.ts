import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { LeafMeta, StringFormat } from '../../../supervisor/config/fields.ts';
import { parseConfig, RULES, type ConfigResult } from '../../../supervisor/config/index.ts';
import { allLeaves, configTree, knownKeys, type Leaf } from '../../../supervisor/config/introspect.ts';
import { BrainTomlSchema, defaultToml } from '../../../supervisor/config/schema.ts';
import { runs } from '../../support/runs.ts';
import { FULL_ENV } from './helpers.ts';

const leaves = allLeaves(configTree(BrainTomlSchema, defaultToml()));
const DEFAULTS = defaultToml();
/** A fresh, mutable copy of the defaults (snake_case, as brain.toml writes them). */
const baseline = () => structuredClone(DEFAULTS) as unknown as Record<string, unknown>;

/** Values of the wrong type for a key (TOML can write every one of them). */
function wrongType(meta: LeafMeta): fc.Arbitrary<unknown> {
  const table = fc.constant({ nested: 1 });
  switch (meta.kind) {
    case 'number':
      return fc.oneof(fc.string(), fc.boolean(), fc.constant([1]), table);
    case 'boolean':
      return fc.oneof(fc.integer(), fc.string(), fc.constant([true]), table);
    case 'enum':
    case 'string':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(['x']), table);
    case 'list':
      return fc.oneof(fc.string(), fc.integer(), fc.boolean(), table);
  }
}

/** Known-bad spellings per string format (each checked by hand against the validator's rule). */
const BAD_STRINGS: Record<StringFormat, readonly string[]> = {
  timezone: ['Mars/Olympus_Mons', '+05:00', 'UTC+5', 'America/Nowhere', ''],
  httpUrl: ['ftp://example.com', 'not a url', 'wss://ws.kraken.com/v2', 'https://user:pw@api.kraken.com'],
  wsUrl: ['https://api.kraken.com', 'ws.kraken.com/v2', '', 'wss://user:pw@ws.kraken.com'],
  host: ['not a host!', '', 'a..b', '-leading.dash', 'under_score.example'],
  path: ['', '   ', 'data/\u0000brain.db'],
  modelId: ['Claude Opus', '', '-leading', 'UPPER-case'],
  gcpProject: ['A', 'short', 'has space', 'Upper-Case-Id'],
  gcpRegion: ['', 'US EAST', '1region', 'x'],
};

/** Values of the right type but outside what the key allows. */
function outOfRange(meta: LeafMeta): fc.Arbitrary<unknown> {
  switch (meta.kind) {
    case 'number': {
      const b = meta.bounds;
      const options: fc.Arbitrary<number>[] = [
        fc.double({ max: b.min, noNaN: true }).filter((x) => x < b.min || (b.minExclusive && x === b.min && !Object.is(x, -0))),
        fc.double({ min: b.max, noNaN: true }).filter((x) => x > b.max || (b.maxExclusive && x === b.max)),
        fc.constant(Number.NaN),
      ];
      if (b.integer && b.max - b.min >= 1) options.push(fc.integer({ min: b.min, max: b.max - 1 }).map((i) => i + 0.5));
      if (b.decimals !== undefined) options.push(fc.integer({ min: 1, max: 1_000_000 }).map((i) => i + 10 ** -(b.decimals! + 1)));
      return fc.oneof(...options);
    }
    case 'boolean':
      return fc.constant(Symbol('a boolean has no out-of-range value'));
    case 'enum':
      return fc.string().filter((s) => !meta.values.includes(s));
    case 'string':
      return fc.constantFrom(...BAD_STRINGS[meta.format]);
    case 'list':
      if (meta.item === 'symbol') {
        const valid = fc.constantFrom('BTC/USD', 'ETH/USD', 'SOL/USD');
        const bad = fc.constantFrom('BTCUSD', 'BTC/EUR', 'BTC/USDT', 'btc/usd', 'XBT/USD', 'BTC/USD/X', '');
        return fc.oneof(
          fc.constant([]),
          fc.tuple(fc.array(valid, { maxLength: 3 }), bad, fc.array(valid, { maxLength: 3 })).map(([a, x, b]) => [...a, x, ...b]),
          valid.map((s) => [s, s]),
          fc.constant(Array.from({ length: meta.maxItems + 1 }, (_, i) => `C${i}/USD`)),
        );
      }
      return fc.oneof(
        fc.constant(Array.from({ length: meta.maxItems + 1 }, (_, i) => i + 1)),
        fc.array(fc.constantFrom(0, -5, 1.5, 2 ** 60), { minLength: 1, maxLength: 3 }),
      );
  }
}

type Corruption =
  | { kind: 'replace'; leaf: Leaf; value: unknown }
  | { kind: 'sibling'; leaf: Leaf; name: string; value: unknown };

const newKeyName = fc.stringMatching(/^[a-z][a-z0-9_]{0,14}$/);
const anyScalar = fc.oneof(fc.integer(), fc.string(), fc.boolean());

/** Every way to corrupt one leaf; arbitraries are built once per leaf, not per sample. */
function corruptionsOf(leaf: Leaf): fc.Arbitrary<Corruption> {
  const siblings = knownKeys(BrainTomlSchema, leaf.path.slice(0, -1)) ?? [];
  const options: fc.Arbitrary<Corruption>[] = [
    wrongType(leaf.meta).map((value) => ({ kind: 'replace' as const, leaf, value })),
    fc
      .tuple(newKeyName.filter((n) => !siblings.includes(n)), anyScalar)
      .map(([name, value]) => ({ kind: 'sibling' as const, leaf, name, value })),
  ];
  if (leaf.meta.kind !== 'boolean') options.push(outOfRange(leaf.meta).map((value) => ({ kind: 'replace' as const, leaf, value })));
  return fc.oneof(...options);
}

const corruption: fc.Arbitrary<Corruption> = fc.oneof(...leaves.map(corruptionsOf));

/** Applies a corruption to a fresh copy of the defaults and returns it as TOML text. */
function corruptedToml(c: Corruption): { text: string; key: string } {
  const doc = baseline();
  const parent = c.leaf.path.slice(0, -1).reduce<Record<string, unknown>>((t, k) => t[k] as Record<string, unknown>, doc);
  const last = c.leaf.path.at(-1)!;
  if (c.kind === 'replace') {
    parent[last] = c.value;
    return { text: stringify(doc), key: c.leaf.key };
  }
  parent[c.name] = c.value;
  return { text: stringify(doc), key: [...c.leaf.path.slice(0, -1), c.name].join('.') };
}

/** A problem names `key` when it is that key or an element/child of it (`markets.symbols[2]`). */
const names = (problemKey: string, key: string) => problemKey === key || problemKey.startsWith(`${key}[`) || problemKey.startsWith(`${key}.`);

describe('every single-key corruption of a valid config is reported with that key', () => {
  it('holds for the baseline itself (valid, so the property is not vacuous)', () => {
    expect(parseConfig({ tomlText: stringify(defaultToml()), env: FULL_ENV }).ok).toBe(true);
    expect(leaves.length).toBeGreaterThan(100);
  });

  it('wrong type, out of range, or an unknown sibling: ok is false and a problem names the key', () => {
    fc.assert(
      fc.property(corruption, (c) => {
        const { text, key } = corruptedToml(c);
        const result: ConfigResult = parseConfig({ tomlText: text, env: FULL_ENV });
        if (result.ok) return false;
        return result.problems.some((p) => names(p.key, key));
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('every in-range value of a key no error rule reads is accepted', () => {
  const readByErrorRule = new Set(RULES.filter((r) => r.severity === 'error').flatMap((r) => r.reads));
  const free = leaves.filter((l) => l.meta.kind === 'number' && !readByErrorRule.has(l.key));

  function inRange(leaf: Leaf): fc.Arbitrary<number> {
    if (leaf.meta.kind !== 'number') throw new Error('numbers only');
    const b = leaf.meta.bounds;
    if (b.integer) return fc.integer({ min: Math.ceil(b.min + (b.minExclusive ? 1 : 0)), max: Math.floor(b.max - (b.maxExclusive ? 1 : 0)) });
    const d = b.decimals;
    return fc
      .double({ min: b.min, max: b.max, minExcluded: b.minExclusive, maxExcluded: b.maxExclusive, noNaN: true })
      .map((x) => (d === undefined ? x : Math.round(x * 10 ** d) / 10 ** d))
      .filter((x) => !Object.is(x, -0) && (b.minExclusive ? x > b.min : x >= b.min) && (b.maxExclusive ? x < b.max : x <= b.max));
  }

  it('the allowed ranges are exactly what the schema accepts', () => {
    expect(free.length).toBeGreaterThan(30);
    fc.assert(
      fc.property(
        fc.constantFrom(...free).chain((leaf) => inRange(leaf).map((value) => ({ leaf, value }))),
        ({ leaf, value }) => {
          const doc = baseline();
          const parent = leaf.path.slice(0, -1).reduce<Record<string, unknown>>((t, k) => t[k] as Record<string, unknown>, doc);
          parent[leaf.path.at(-1)!] = value;
          return parseConfig({ tomlText: stringify(doc), env: FULL_ENV }).ok;
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
