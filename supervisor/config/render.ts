import { formatNumber } from './fields.ts';
import { allTables, configTree, type Leaf, type TableNode } from './introspect.ts';
import { BrainTomlSchema, defaultToml } from './schema.ts';
import { SECRET_ENV_KEYS } from './secrets.ts';

/**
 * The shipped brain.toml and the key table of docs/configuration.md are generated from the schema
 * (`npx tsx supervisor/config/generate.ts`), and tests compare the committed files with these
 * renderings, so the documented defaults, ranges and meanings cannot drift from what is checked.
 */

const WIDTH = 100;

/** The default brain.toml: every key at its default, a comment above each. Pure. */
export function renderBrainToml(): string {
  const tree = configTree(BrainTomlSchema, defaultToml());
  const out: string[] = [
    ...comment(
      'Trading Brain configuration. Every key is listed at its default value: delete a key to get its default. ' +
        'Unknown keys are errors. Every *_pct key is a fraction (0.25 means 25%). ' +
        'Check a change with: npx brain config check. Reference: docs/configuration.md.',
    ),
    ...comment(`Secrets never go in this file; set them in the environment or .env (see .env.example): ${SECRET_ENV_KEYS.join(', ')}.`),
  ];
  for (const table of tree.tables) renderTable(table, out);
  return `${out.join('\n')}\n`;
}

function renderTable(table: TableNode, out: string[]): void {
  out.push('');
  if (table.meta !== undefined) out.push(...comment(table.meta.doc));
  if (table.leaves.length > 0) {
    out.push(`[${headerKey(table)}]`);
    table.leaves.forEach((leaf, i) => {
      if (i > 0) out.push('');
      out.push(...comment(leaf.meta.doc), ...comment(allowedLine(leaf)));
      out.push(`${leaf.path.at(-1) ?? ''} = ${tomlValue(leaf.defaultValue)}`);
    });
  }
  for (const child of table.tables) renderTable(child, out);
}

/** "Allowed: … Default: …" (the default is left out for lists, which are written out below it). */
function allowedLine(leaf: Leaf): string {
  const showDefault = leaf.defaultValue !== undefined && !Array.isArray(leaf.defaultValue);
  return `Allowed: ${leaf.meta.allowed}.${showDefault ? ` Default: ${tomlValue(leaf.defaultValue)}.` : ''}`;
}

/** `[risk.per_trade]`; a map entry's name is quoted: `[ai.prices."claude-opus-5-5"]`. */
function headerKey(table: TableNode): string {
  const mapEntry = table.meta === undefined;
  return table.path.map((segment, i) => (mapEntry && i === table.path.length - 1 ? JSON.stringify(segment) : segment)).join('.');
}

/** A value as TOML writes it: grouped integers, quoted strings, inline or multi-line lists. */
export function tomlValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) >= 10_000) return formatNumber(value).replaceAll(',', '_');
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const inline = `[${value.map(tomlValue).join(', ')}]`;
    if (inline.length <= 60) return inline;
    return `[\n${value.map((v) => `  ${tomlValue(v)},`).join('\n')}\n]`;
  }
  throw new Error(`tomlValue: cannot render ${typeof value}`);
}

/** Wraps text into `# ` comment lines of at most WIDTH characters. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * The markdown reference of every key, one table per TOML table ([ai.prices] entries together):
 * key, default, allowed, meaning. Pure.
 */
export function renderKeyTable(): string {
  const tree = configTree(BrainTomlSchema, defaultToml());
  const out: string[] = [];
  for (const table of allTables(tree)) {
    if (table.meta === undefined) continue; // map entries are listed under their map
    const rows = table.meta.kind === 'map' ? table.tables.flatMap((entry) => entry.leaves) : table.leaves;
    out.push(`### [${table.path.join('.')}]`, '', table.meta.doc, '');
    if (rows.length === 0) continue;
    out.push('| Key | Default | Allowed | Meaning |', '|---|---|---|---|');
    for (const leaf of rows) {
      out.push(`| \`${leaf.key}\` | ${cell(defaultText(leaf))} | ${cell(leaf.meta.allowed)} | ${cell(leaf.meta.doc)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function defaultText(leaf: Leaf): string {
  const value = tomlValue(leaf.defaultValue).replace(/\s*\n\s*/g, ' ').replace(/, ]$/, ']').replace('[ ', '[');
  return `\`${value}\``;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}
