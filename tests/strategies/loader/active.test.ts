import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateVersion, codeHash, loadActiveStrategy, registerVersion } from '../../../strategies/loader/index.ts';
import { BAD_SOURCE, strategySource, tempStore } from './support.ts';

describe('loadActiveStrategy: file → latest deployed DB copy → paused', () => {
  let store: ReturnType<typeof tempStore>;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.close());

  const seed = (tag: string, nowMs: number) => {
    const r = registerVersion(store.repos, { code: strategySource(tag), filename: `${tag}.ts`, parent: null, description: tag, nowMs });
    if (!r.ok) throw new Error(r.reason);
    return r.version;
  };

  it('loads a valid file, stripped to JavaScript, named after the stored version with its hash', () => {
    seed('a', 1);
    const file = join(store.dir, 'strategy.ts');
    writeFileSync(file, strategySource('a'));
    const r = loadActiveStrategy({ filePath: file, repos: store.repos });
    expect(r).toMatchObject({ kind: 'loaded', version: 'v001', registered: true, source: 'file', path: file, hash: codeHash(strategySource('a')), reasons: [] });
    if (r.kind !== 'loaded') return;
    expect(r.code).not.toContain(': unknown'); // type annotations stripped
    expect(r.code).toContain('function analyze');
  });

  it('names an unregistered file by its hash', () => {
    const file = join(store.dir, 'strategy.ts');
    writeFileSync(file, strategySource('new'));
    const r = loadActiveStrategy({ filePath: file, repos: store.repos });
    expect(r).toMatchObject({ kind: 'loaded', registered: false, version: `file-${codeHash(strategySource('new')).slice(0, 12)}`, source: 'file' });
  });

  it('falls back to the latest deployed DB copy when the file is missing, with the reason', () => {
    seed('a', 1);
    seed('b', 2);
    seed('c', 3); // never deployed: must not be chosen
    activateVersion(store.repos, 'v001', 10);
    activateVersion(store.repos, 'v002', 20);
    const r = loadActiveStrategy({ filePath: join(store.dir, 'missing.ts'), repos: store.repos });
    expect(r).toMatchObject({ kind: 'loaded', version: 'v002', source: 'db', path: null, sourceCode: strategySource('b') });
    expect(r.reasons).toEqual([`strategy file ${join(store.dir, 'missing.ts')}: does not exist`]);
  });

  it('falls back when the file fails the static check, recording every problem', () => {
    seed('a', 1);
    activateVersion(store.repos, 'v001', 10);
    const file = join(store.dir, 'strategy.ts');
    writeFileSync(file, BAD_SOURCE);
    const r = loadActiveStrategy({ filePath: file, repos: store.repos });
    expect(r).toMatchObject({ kind: 'loaded', version: 'v001', source: 'db' });
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toContain(`${file}:2:3 [forbidden-global]`);
    expect(r.reasons[0]).toContain(`${file}:3:3 [forbidden-global]`);
  });

  it('uses the most recently deployed version when none is live (all retired)', () => {
    seed('a', 1);
    seed('b', 2);
    activateVersion(store.repos, 'v002', 10);
    activateVersion(store.repos, 'v001', 20);
    store.repos.strategyVersions.update('v001', { retiredAt: 30 });
    const r = loadActiveStrategy({ repos: store.repos });
    expect(r).toMatchObject({ kind: 'loaded', version: 'v001', source: 'db' });
    expect(r.reasons).toEqual(['no strategy file configured']);
  });

  it('pauses (kind none) with every reason when nothing is usable', () => {
    seed('a', 1); // registered but never deployed
    const r = loadActiveStrategy({ filePath: join(store.dir, 'missing.ts'), repos: store.repos });
    expect(r).toEqual({ kind: 'none', reasons: [`strategy file ${join(store.dir, 'missing.ts')}: does not exist`, 'no deployed strategy version in the database'] });
  });

  it('pauses when the DB copy fails the static check or its hash', () => {
    const row = {
      version: 'v001', parentVersion: null, code: BAD_SOURCE, codeHash: codeHash(BAD_SOURCE), riskTier: null, description: '',
      backtestResult: null, shadowTestResult: null, marketConditions: null, createdAt: 1, deployedAt: 5, retiredAt: null,
    };
    store.repos.strategyVersions.insert(row);
    const bad = loadActiveStrategy({ repos: store.repos });
    expect(bad.kind).toBe('none');
    expect(bad.reasons[1]).toContain('v001.ts:2:3');

    const other = tempStore();
    try {
      other.repos.strategyVersions.insert({ ...row, code: strategySource('a'), codeHash: codeHash('something else') });
      const r = loadActiveStrategy({ repos: other.repos });
      expect(r.kind).toBe('none');
      expect(r.reasons[1]).toContain('does not match its recorded hash');
    } finally {
      other.close();
    }
  });

  it('reports an unreadable file through the injected reader', () => {
    const r = loadActiveStrategy({
      filePath: '/x/strategy.ts',
      repos: store.repos,
      readFile: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    });
    expect(r.kind).toBe('none');
    expect(r.reasons[0]).toBe('strategy file /x/strategy.ts: cannot be read (EACCES: permission denied)');
  });
});
