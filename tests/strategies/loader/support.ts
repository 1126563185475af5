/** A real temporary libSQL store for the loader tests, and small strategy sources. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories, migrate, openStore, type Db, type Repositories } from '../../../adapters/libsql/index.ts';

/** Opens a migrated store in a fresh temp dir; `close()` removes it. */
export function tempStore(): { db: Db; repos: Repositories; dir: string; path: string; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'brain-loader-'));
  const path = join(dir, 'brain.db');
  const db = openStore({ path });
  migrate(db);
  return {
    db,
    repos: createRepositories(db),
    dir,
    path,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid strategy; `tag` makes each variant's code (and hash) distinct. */
export function strategySource(tag: string): string {
  return `// ${tag}
export function initialize(limits: unknown, symbols: string[]) {}
export function analyze(markets: unknown, portfolio: unknown, time: number) { return []; }
`;
}

/** A strategy the static check refuses: eval on line 2, column 3; require on line 3, column 3. */
export const BAD_SOURCE = `export function initialize() {}
  eval('1');
  require('fs');
export function analyze() { return []; }
`;
