import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, checkTree, importsOf, sourceFiles } from './layers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('layer import rules (DESIGN.md §1)', () => {
  it('the whole tree obeys them', () => {
    expect(sourceFiles(root).length).toBeGreaterThan(5);
    expect(checkTree(root)).toEqual([]);
  });

  it('finds static, type-only, re-export and dynamic imports', () => {
    const src = `import a from 'x';\nimport type { B } from "../b/index.ts";\nexport * from './c.ts';\nconst d = await import('node:fs');\n// import e from 'commented';`;
    expect(importsOf(src)).toEqual(['x', '../b/index.ts', './c.ts', 'node:fs']);
  });

  it('catches the violations it exists for', () => {
    const v = (file: string, src: string) => checkFile(root, file, src).map((x) => x.detail);
    expect(v('domain/risk/x.ts', `import { db } from '../../adapters/libsql/index.ts';`)[0]).toMatch(/domain\/ may not import/);
    expect(v('domain/risk/x.ts', `import { readFileSync } from 'node:fs';`)[0]).toMatch(/allowed packages: zod/);
    expect(v('domain/risk/x.ts', `import { createMachine } from 'xstate';`)).toHaveLength(1);
    expect(v('domain/risk/x.ts', `export const now = () => Date.now();`)[0]).toMatch(/must stay pure/);
    expect(v('machines/fund.ts', `const t = setTimeout(() => 1, 5);`)[0]).toMatch(/must stay pure/);
    expect(v('machines/fund.ts', `import { x } from '../adapters/kraken/index.ts';`)).toHaveLength(1);
    expect(v('actors/submit.ts', `import { x } from '../supervisor/index.ts';`)).toHaveLength(1);
    expect(v('adapters/kraken/x.ts', `import { x } from '../../supervisor/operator/index.ts';`)).toHaveLength(1);
    expect(v('strategies/loader.ts', `import { x } from '../adapters/libsql/index.ts';`)).toHaveLength(1);
    // allowed
    expect(v('machines/fund.ts', `import { setup } from 'xstate';\nimport { x } from '../domain/risk/index.ts';`)).toEqual([]);
    expect(v('supervisor/paper.ts', `import { x } from '../adapters/libsql/index.ts';\nconst t = Date.now();`)).toEqual([]);
    expect(v('domain/risk/x.ts', `import { z } from 'zod';\n// Date.now() is only mentioned in a comment`)).toEqual([]);
  });
});
