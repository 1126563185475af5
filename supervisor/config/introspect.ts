import { z } from 'zod';
import { configMeta, type FieldMeta, type LeafMeta, type TableMeta } from './fields.ts';

/**
 * Reading the brain.toml schema as data: which keys exist, what each accepts, and how a path is
 * written. Used for error messages, the property test, and the generated brain.toml and docs.
 */

/** A path into the TOML document: table keys, and array indexes for list elements. */
export type Path = readonly (string | number)[];

/** Removes `.default()`/`.prefault()` wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.unwrap() as z.ZodType;
  return s;
}

/** The documented metadata of a schema node, looking through its default wrappers. */
export function metaOf(schema: z.ZodType): FieldMeta | undefined {
  let s: z.ZodType = schema;
  for (;;) {
    const meta = configMeta.get(s);
    if (meta !== undefined) return meta;
    if (!(s instanceof z.ZodDefault || s instanceof z.ZodPrefault)) return undefined;
    s = s.unwrap() as z.ZodType;
  }
}

/** The schema node at `path` (map keys match any name), or undefined when no such key exists. */
export function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const segment of path) {
    if (s === undefined) return undefined;
    const node: z.ZodType = unwrap(s);
    if (node instanceof z.ZodObject && typeof segment === 'string') {
      s = Object.hasOwn(node.shape, segment) ? (node.shape[segment] as z.ZodType) : undefined;
    } else if (node instanceof z.ZodRecord && typeof segment === 'string') {
      s = node.valueType as z.ZodType;
    } else if (node instanceof z.ZodArray && typeof segment === 'number') {
      s = node.element as z.ZodType;
    } else {
      return undefined;
    }
  }
  return s;
}

/** The keys a table at `path` accepts, or undefined when `path` is not a fixed table. */
export function knownKeys(root: z.ZodType, path: Path): readonly string[] | undefined {
  const s = schemaAt(root, path);
  if (s === undefined) return undefined;
  const node = unwrap(s);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : undefined;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** Writes a path as TOML writes a dotted key: `risk.per_trade.max_trade_pct`, `markets.symbols[2]`. */
export function formatKey(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + (BARE_KEY.test(segment) ? segment : JSON.stringify(segment));
  }
  return out;
}

/** A key that holds a value. */
export interface Leaf {
  readonly path: readonly string[];
  readonly key: string;
  readonly meta: LeafMeta;
  readonly defaultValue: unknown;
}

/** A table of brain.toml with its leaves (in schema order) and sub-tables. */
export interface TableNode {
  readonly path: readonly string[];
  /** Section or map metadata; undefined for the root and for the entries of a map. */
  readonly meta: TableMeta | undefined;
  readonly leaves: readonly Leaf[];
  readonly tables: readonly TableNode[];
}

/**
 * The tree of tables and leaves of the schema. Map tables (ai.prices) get one entry per key of
 * `values` (normally the defaults).
 */
export function configTree(root: z.ZodType, values: unknown): TableNode {
  return tableNode(root, values, [], undefined);
}

function tableNode(schema: z.ZodType, value: unknown, path: readonly string[], meta: TableMeta | undefined): TableNode {
  const node = unwrap(schema);
  const leaves: Leaf[] = [];
  const tables: TableNode[] = [];
  const record = (value ?? {}) as Record<string, unknown>;
  if (node instanceof z.ZodRecord) {
    for (const [name, entry] of Object.entries(record)) {
      tables.push(tableNode(node.valueType as z.ZodType, entry, [...path, name], undefined));
    }
  } else if (node instanceof z.ZodObject) {
    for (const [name, child] of Object.entries(node.shape as Record<string, z.ZodType>)) {
      const childPath = [...path, name];
      const childMeta = metaOf(child);
      if (childMeta === undefined) throw new Error(`brain.toml schema: ${formatKey(childPath)} has no documentation`);
      if (childMeta.kind === 'section' || childMeta.kind === 'map') {
        tables.push(tableNode(child, record[name], childPath, childMeta));
      } else {
        leaves.push({ path: childPath, key: formatKey(childPath), meta: childMeta, defaultValue: record[name] });
      }
    }
  }
  return { path, meta, leaves, tables };
}

/** Every leaf of the tree, depth first in schema order. */
export function allLeaves(tree: TableNode): Leaf[] {
  return [...tree.leaves, ...tree.tables.flatMap(allLeaves)];
}

/** Every table of the tree (root excluded), depth first in schema order. */
export function allTables(tree: TableNode): TableNode[] {
  return tree.tables.flatMap((t) => [t, ...allTables(t)]);
}
