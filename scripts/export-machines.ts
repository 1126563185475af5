/**
 * Writes every machine's diagram, generated from its definition, to docs/machines/:
 * `<name>.mmd` (Mermaid stateDiagram-v2) and `<name>.json` (flat states + transitions).
 * Offline and deterministic; tests/machines/diagram.test.ts checks the committed files match.
 *
 *   npx tsx scripts/export-machines.ts [--check]
 *
 * `--check` writes nothing and exits 1 when a committed file differs from a fresh export.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MACHINES, toJsonText, toMermaid } from '../machines/index.ts';

const outDir = fileURLToPath(new URL('../docs/machines/', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;

for (const [name, machine] of Object.entries(MACHINES)) {
  for (const [file, text] of [
    [`${name}.mmd`, toMermaid(machine)],
    [`${name}.json`, toJsonText(machine)],
  ] as const) {
    const path = `${outDir}${file}`;
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (current !== text) {
        stale++;
        console.error(`stale: docs/machines/${file} (run: npx tsx scripts/export-machines.ts)`);
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote docs/machines/${file}`);
    }
  }
}
if (stale > 0) process.exitCode = 1;
