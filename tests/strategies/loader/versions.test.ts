import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateVersion, codeHash, nextVersionId, previousVersion, registerVersion } from '../../../strategies/loader/index.ts';
import { BAD_SOURCE, strategySource, tempStore } from './support.ts';

describe('strategy versions', () => {
  let store: ReturnType<typeof tempStore>;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.close());

  it('registers v001, v002, … with the code, its SHA-256, the parent and the description', () => {
    const a = registerVersion(store.repos, { code: strategySource('a'), filename: 'a.ts', parent: null, description: 'seed', nowMs: 1000 });
    const b = registerVersion(store.repos, { code: strategySource('b'), filename: 'b.ts', parent: 'v001', description: 'tweak', riskTier: 1, nowMs: 2000 });
    expect(a).toEqual({ ok: true, version: 'v001', hash: codeHash(strategySource('a')) });
    expect(b.ok && b.version).toBe('v002');
    const row = store.repos.strategyVersions.byVersion('v002')!;
    expect(row).toMatchObject({ parentVersion: 'v001', code: strategySource('b'), description: 'tweak', riskTier: 1, createdAt: 2000, deployedAt: null });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes with SHA-256 (FIPS 180-2 test vector "abc")', () => {
    // Published digest of "abc": FIPS 180-2, appendix B.1.
    expect(codeHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('continues after the highest vNNN and ignores other names', () => {
    store.repos.strategyVersions.insert({
      version: 'v041', parentVersion: null, code: strategySource('x'), codeHash: codeHash(strategySource('x')), riskTier: null,
      description: '', backtestResult: null, shadowTestResult: null, marketConditions: null, createdAt: 1, deployedAt: null, retiredAt: null,
    });
    store.repos.strategyVersions.insert({
      version: 'candidate-7', parentVersion: null, code: strategySource('y'), codeHash: codeHash(strategySource('y')), riskTier: null,
      description: '', backtestResult: null, shadowTestResult: null, marketConditions: null, createdAt: 2, deployedAt: null, retiredAt: null,
    });
    expect(nextVersionId(store.repos)).toBe('v042');
    const r = registerVersion(store.repos, { code: strategySource('z'), filename: 'z.ts', parent: null, description: '', nowMs: 3 });
    expect(r.ok && r.version).toBe('v042');
  });

  it('refuses identical code, naming the version that has it, and records nothing', () => {
    registerVersion(store.repos, { code: strategySource('a'), filename: 'a.ts', parent: null, description: '', nowMs: 1 });
    const r = registerVersion(store.repos, { code: strategySource('a'), filename: 'again.ts', parent: 'v001', description: '', nowMs: 2 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.duplicateOf).toBe('v001');
    expect(r.reason).toContain('already stored as v001');
    expect(store.repos.strategyVersions.count()).toBe(1);
  });

  it('refuses code failing the static check, with every problem positioned', () => {
    const r = registerVersion(store.repos, { code: BAD_SOURCE, filename: 'bad.ts', parent: null, description: '', nowMs: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems?.map((p) => [p.line, p.column, p.rule])).toEqual([
      [2, 3, 'forbidden-global'],
      [3, 3, 'forbidden-global'],
    ]);
    expect(r.reason).toContain('bad.ts:2:3');
    expect(store.repos.strategyVersions.count()).toBe(0);
  });

  it('refuses an unknown parent and a bad nowMs', () => {
    const r = registerVersion(store.repos, { code: strategySource('a'), filename: 'a.ts', parent: 'v009', description: '', nowMs: 1 });
    expect(r.ok === false && r.reason).toContain('"v009" does not exist');
    const t = registerVersion(store.repos, { code: strategySource('a'), filename: 'a.ts', parent: null, description: '', nowMs: 1.5 });
    expect(t.ok === false && t.reason).toContain('nowMs');
    expect(store.repos.strategyVersions.count()).toBe(0);
  });

  it('activates a version, retires the previous one and keeps it as the rollback target', () => {
    for (const tag of ['a', 'b', 'c']) registerVersion(store.repos, { code: strategySource(tag), filename: `${tag}.ts`, parent: null, description: tag, nowMs: 1 });
    expect(previousVersion(store.repos)).toBeUndefined();
    expect(activateVersion(store.repos, 'v001', 10)).toEqual({ ok: true, version: 'v001', previous: null, changed: true });
    expect(activateVersion(store.repos, 'v002', 20)).toEqual({ ok: true, version: 'v002', previous: 'v001', changed: true });
    expect(store.repos.strategyVersions.current()?.version).toBe('v002');
    expect(store.repos.strategyVersions.byVersion('v001')).toMatchObject({ deployedAt: 10, retiredAt: 20 });
    expect(previousVersion(store.repos)?.version).toBe('v001');
    expect(activateVersion(store.repos, 'v003', 30)).toMatchObject({ ok: true, previous: 'v002' });
    expect(previousVersion(store.repos)?.version).toBe('v002');
    // Rolling back to v002 redeploys it for real; the rollback target becomes v003.
    expect(activateVersion(store.repos, 'v002', 40)).toMatchObject({ ok: true, previous: 'v003' });
    expect(store.repos.strategyVersions.byVersion('v002')).toMatchObject({ deployedAt: 40, retiredAt: null });
    expect(previousVersion(store.repos)?.version).toBe('v003');
  });

  it('activating the live version changes nothing; an unknown version is refused', () => {
    registerVersion(store.repos, { code: strategySource('a'), filename: 'a.ts', parent: null, description: '', nowMs: 1 });
    activateVersion(store.repos, 'v001', 10);
    expect(activateVersion(store.repos, 'v001', 20)).toEqual({ ok: true, version: 'v001', previous: 'v001', changed: false });
    expect(store.repos.strategyVersions.byVersion('v001')?.deployedAt).toBe(10);
    const r = activateVersion(store.repos, 'v777', 30);
    expect(r.ok === false && r.reason).toContain('no strategy version "v777"');
  });

  it('refuses to activate a stored copy that no longer passes the static check', () => {
    store.repos.strategyVersions.insert({
      version: 'v001', parentVersion: null, code: BAD_SOURCE, codeHash: codeHash(BAD_SOURCE), riskTier: null,
      description: '', backtestResult: null, shadowTestResult: null, marketConditions: null, createdAt: 1, deployedAt: null, retiredAt: null,
    });
    const r = activateVersion(store.repos, 'v001', 10);
    expect(r.ok === false && r.reason).toContain('v001.ts:2:3');
    expect(store.repos.strategyVersions.current()).toBeUndefined();
  });
});
