/**
 * Regenerates the shipped brain.toml and the key tables of docs/configuration.md from the schema:
 *   npx tsx supervisor/config/generate.ts
 * Tests fail when the committed files differ from what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderBrainToml, renderKeyTable } from './render.ts';

/** Markers around the generated part of docs/configuration.md. */
export const DOC_START = '<!-- generated: key tables (npx tsx supervisor/config/generate.ts) -->';
export const DOC_END = '<!-- end of generated key tables -->';

/** Replaces the generated block of the docs text. Throws if the markers are missing. */
export function spliceKeyTable(docText: string, table: string): string {
  const start = docText.indexOf(DOC_START);
  const end = docText.indexOf(DOC_END);
  if (start === -1 || end < start) throw new Error('docs/configuration.md: generated-block markers not found');
  return `${docText.slice(0, start + DOC_START.length)}\n\n${table.trimEnd()}\n\n${docText.slice(end)}`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  writeFileSync(`${root}brain.toml`, renderBrainToml());
  const docPath = `${root}docs/configuration.md`;
  writeFileSync(docPath, spliceKeyTable(readFileSync(docPath, 'utf8'), renderKeyTable()));
  process.stdout.write('wrote brain.toml and docs/configuration.md\n');
}
