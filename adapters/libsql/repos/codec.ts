/**
 * The one row-mapping helper the repositories share: a table is described once as
 * `{ camelCaseField: kind }`, and the helper derives the snake_case column list, encodes
 * objects to SQL parameters and decodes rows back, checking every value's type.
 *
 * Kinds: 'text', 'int' (safe integer; timestamps in ms), 'real', 'fixed' (exact decimal TEXT <->
 * `Fixed` bigint), 'bool' (INTEGER 0/1); a trailing '?' makes the column nullable. The spec type
 * is derived from the row interface, so a spec that disagrees with its row type does not compile.
 */
import type { Fixed } from '../../../domain/money/index.ts';
import { fromString, toString as fixedToString } from '../../../domain/money/index.ts';
import type { Db, Stmt } from '../db.ts';
import { StoreError } from '../errors.ts';

type BaseKind<V> = [V] extends [bigint]
  ? 'fixed'
  : [V] extends [boolean]
    ? 'bool'
    : [V] extends [number]
      ? 'int' | 'real'
      : [V] extends [string]
        ? 'text'
        : never;

/** The column kind(s) allowed for a field of type V. */
export type KindOf<V> = null extends V ? `${BaseKind<Exclude<V, null>>}?` : BaseKind<V>;

/** A table description: one kind per field of the row type. */
export type Spec<T> = { readonly [K in keyof T]-?: KindOf<T[K]> };

/** Insert input: nullable fields may be omitted (stored as NULL). */
export type Insertable<T> = { [K in keyof T as null extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as null extends T[K] ? K : never]?: T[K];
};

/** A value SQLite can bind. */
export type SqlValue = string | number | bigint | null;
type Kind = 'text' | 'int' | 'real' | 'fixed' | 'bool';

/** A described table: name, fields and their columns. */
export interface Table<T> {
  readonly name: string;
  readonly fields: readonly (keyof T & string)[];
  /** `col_a, col_b, ...` in field order, for SELECT lists. */
  readonly columns: string;
  column(field: keyof T & string): string;
  /** Row object (snake_case keys) -> typed row; ignores extra keys such as libsql's `_metadata`. */
  decode(raw: unknown): T;
  /** SQL parameter for one field; throws `StoreError` on a value of the wrong type. */
  encode(field: keyof T & string, value: unknown): SqlValue;
}

/** Describes a table. Field names map to snake_case columns (`avgEntry` -> `avg_entry`). */
export function defineTable<T>(name: string, spec: Spec<T>): Table<T> {
  const fields = Object.keys(spec) as (keyof T & string)[];
  const parsed = new Map<string, { column: string; kind: Kind; nullable: boolean }>();
  for (const field of fields) {
    const raw = (spec as Record<string, string>)[field]!;
    const nullable = raw.endsWith('?');
    parsed.set(field, { column: snake(field), kind: (nullable ? raw.slice(0, -1) : raw) as Kind, nullable });
  }
  const info = (field: string) => {
    const found = parsed.get(field);
    if (!found) throw new StoreError(`${name} has no field ${JSON.stringify(field)}`);
    return found;
  };
  return {
    name,
    fields,
    columns: fields.map((f) => info(f).column).join(', '),
    column: (field) => info(field).column,
    decode(raw) {
      if (typeof raw !== 'object' || raw === null) throw new StoreError(`${name}: expected a row object, got ${String(raw)}`);
      const source = raw as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        const { column, kind, nullable } = info(field);
        out[field] = decodeValue(name, column, kind, nullable, source[column]);
      }
      return out as T;
    },
    encode(field, value) {
      const { column, kind, nullable } = info(field);
      return encodeValue(name, column, kind, nullable, value);
    },
  };
}

/**
 * Prepared statements of one connection, prepared on first use and cached by SQL text, so a
 * repository costs nothing until used and works on a partially migrated database for the
 * tables that exist.
 */
export interface Statements {
  readonly db: Db;
  /** Rows as objects. */
  rows(sql: string): Stmt;
  /** Rows as arrays (`raw` mode; `get()` then has no `_metadata`). */
  arrays(sql: string): Stmt;
}

/** Creates the statement cache for one connection. */
export function statements(db: Db): Statements {
  const objects = new Map<string, Stmt>();
  const arrays = new Map<string, Stmt>();
  return {
    db,
    rows(sql) {
      let stmt = objects.get(sql);
      if (!stmt) objects.set(sql, (stmt = db.prepare(sql)));
      return stmt;
    },
    arrays(sql) {
      let stmt = arrays.get(sql);
      if (!stmt) arrays.set(sql, (stmt = db.prepare(sql).raw(true)));
      return stmt;
    },
  };
}

/** Insert input of a table: every field but the `id` rowid; nullable fields may be omitted. */
export type NewRow<T> = Insertable<Omit<T, 'id'>>;

/** Inserts one row (every field but `id`, which SQLite assigns) and returns the new rowid. */
export function insertRow<T>(st: Statements, table: Table<T>, row: NewRow<T>, suffix = ''): number {
  return Number(runInsert(st, table, row, suffix).lastInsertRowid);
}

/** Like `insertRow` but returns the number of rows changed (for `ON CONFLICT DO NOTHING`). */
export function insertChanges<T>(st: Statements, table: Table<T>, row: NewRow<T>, suffix: string): number {
  return runInsert(st, table, row, suffix).changes;
}

/** Inserts or, on a conflict of `keyFields`, overwrites every other field. */
export function upsertRow<T>(st: Statements, table: Table<T>, row: NewRow<T>, keyFields: readonly (keyof T & string)[]): void {
  const others = insertFields(table).filter((f) => !keyFields.includes(f));
  const suffix =
    `ON CONFLICT (${keyFields.map((f) => table.column(f)).join(', ')}) DO UPDATE SET ` +
    others.map((f) => `${table.column(f)} = excluded.${table.column(f)}`).join(', ');
  runInsert(st, table, row, suffix);
}

function insertFields<T>(table: Table<T>): (keyof T & string)[] {
  return table.fields.filter((f) => f !== 'id');
}

function runInsert<T>(st: Statements, table: Table<T>, row: NewRow<T>, suffix: string) {
  const source = row as Record<string, unknown>;
  const fields = insertFields(table);
  const sql = `INSERT INTO ${table.name} (${fields.map((f) => table.column(f)).join(', ')}) VALUES (${fields.map(() => '?').join(', ')}) ${suffix}`;
  return st.rows(sql).run(...fields.map((f) => table.encode(f, source[f] === undefined ? null : source[f])));
}

/** Updates the fields present in `patch` on rows matching `keyField = key`; returns rows changed. */
export function updateRow<T, K extends keyof T & string>(
  st: Statements,
  table: Table<T>,
  keyField: K,
  key: NoInfer<T[K]>,
  patch: NoInfer<Partial<T>>,
): number {
  return updateWhere(st, table, { [keyField]: key } as unknown as Partial<T>, patch);
}

/**
 * Updates the fields present in `patch` (undefined = leave alone, null = set NULL) on rows whose
 * fields equal every entry of `match`; returns rows changed.
 */
export function updateWhere<T>(st: Statements, table: Table<T>, match: NoInfer<Partial<T>>, patch: NoInfer<Partial<T>>): number {
  const source = patch as Record<string, unknown>;
  const keys = match as Record<string, unknown>;
  const fields = table.fields.filter((f) => source[f] !== undefined);
  const keyFields = table.fields.filter((f) => keys[f] !== undefined);
  if (fields.length === 0) return 0;
  if (keyFields.length === 0) throw new StoreError(`update of ${table.name} needs at least one key field`);
  const sql =
    `UPDATE ${table.name} SET ${fields.map((f) => `${table.column(f)} = ?`).join(', ')} ` +
    `WHERE ${keyFields.map((f) => `${table.column(f)} = ?`).join(' AND ')}`;
  return st
    .rows(sql)
    .run(...fields.map((f) => table.encode(f, source[f])), ...keyFields.map((f) => table.encode(f, keys[f])))
    .changes;
}

/** `SELECT <all columns> FROM table <rest>` decoded; `rest` holds WHERE/ORDER/LIMIT with `?`s. */
export function selectRows<T>(st: Statements, table: Table<T>, rest: string, params: readonly SqlValue[] = []): T[] {
  return st.rows(`SELECT ${table.columns} FROM ${table.name} ${rest}`).all(...params).map((r) => table.decode(r));
}

/** First row of `selectRows`, or undefined. */
export function selectOne<T>(st: Statements, table: Table<T>, rest: string, params: readonly SqlValue[] = []): T | undefined {
  const raw = st.rows(`SELECT ${table.columns} FROM ${table.name} ${rest}`).get(...params);
  return raw === undefined ? undefined : table.decode(raw);
}

/** One scalar from the first row's first column, or undefined when there is no row. */
export function scalar(st: Statements, sql: string, params: readonly SqlValue[] = []): unknown {
  const row = st.arrays(sql).get(...params) as unknown[] | undefined;
  return row?.[0];
}

/**
 * Builds `WHERE a AND b` from optional conditions: each entry is a fragment with one `?` and its
 * value; entries whose value is undefined are left out. Empty when nothing is set.
 */
export function where(parts: readonly (readonly [string, SqlValue | undefined])[]): { sql: string; params: SqlValue[] } {
  const used = parts.filter(([, value]) => value !== undefined);
  return {
    sql: used.length === 0 ? '' : `WHERE ${used.map(([fragment]) => fragment).join(' AND ')}`,
    params: used.map(([, value]) => value as SqlValue),
  };
}

/** Encodes a `Fixed` for a TEXT column (canonical decimal text). */
export function fixedParam(value: Fixed): string {
  if (typeof value !== 'bigint') throw new StoreError(`expected a Fixed (bigint), got ${typeof value}`);
  return fixedToString(value);
}

/** Decodes a TEXT decimal column value read outside a table description. */
export function fixedValue(context: string, value: unknown): Fixed {
  if (typeof value !== 'string') throw new StoreError(`corrupt ${context}: expected decimal text, got ${describe(value)}`);
  return parseFixed(context, value);
}

/** Encodes an integer parameter (ms timestamps, ids, counts); throws on fractions and non-numbers. */
export function intParam(context: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw new StoreError(`${context} must be a safe integer, got ${describe(value)}`);
  return value;
}

function encodeValue(table: string, column: string, kind: Kind, nullable: boolean, value: unknown): SqlValue {
  const where = `${table}.${column}`;
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw new StoreError(`${where} is required, got ${describe(value)}`);
  }
  switch (kind) {
    case 'fixed':
      if (typeof value !== 'bigint') throw new StoreError(`${where} must be a Fixed (bigint), got ${describe(value)}`);
      return fixedToString(value);
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new StoreError(`${where} must be a safe integer, got ${describe(value)}`);
      return value;
    case 'real':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreError(`${where} must be a finite number, got ${describe(value)}`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new StoreError(`${where} must be a boolean, got ${describe(value)}`);
      return value ? 1 : 0;
    case 'text':
      if (typeof value !== 'string') throw new StoreError(`${where} must be a string, got ${describe(value)}`);
      return value;
  }
}

function decodeValue(table: string, column: string, kind: Kind, nullable: boolean, value: unknown): unknown {
  const where = `${table}.${column}`;
  if (value === null || value === undefined) {
    if (nullable && value === null) return null;
    throw new StoreError(`corrupt ${where}: expected a value, got ${describe(value)}`);
  }
  switch (kind) {
    case 'fixed':
      if (typeof value !== 'string') throw new StoreError(`corrupt ${where}: expected decimal text, got ${describe(value)}`);
      return parseFixed(where, value);
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new StoreError(`corrupt ${where}: expected an integer, got ${describe(value)}`);
      return value;
    case 'real':
      if (typeof value !== 'number') throw new StoreError(`corrupt ${where}: expected a number, got ${describe(value)}`);
      return value;
    case 'bool':
      if (value !== 0 && value !== 1) throw new StoreError(`corrupt ${where}: expected 0 or 1, got ${describe(value)}`);
      return value === 1;
    case 'text':
      if (typeof value !== 'string') throw new StoreError(`corrupt ${where}: expected text, got ${describe(value)}`);
      return value;
  }
}

function parseFixed(where: string, text: string): Fixed {
  try {
    return fromString(text);
  } catch (err) {
    throw new StoreError(`corrupt ${where}: ${JSON.stringify(text)} is not a decimal`, { cause: err });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return `${String(value)} (${value === null ? 'null' : typeof value})`;
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/([a-z])(\d)/g, '$1_$2');
}
