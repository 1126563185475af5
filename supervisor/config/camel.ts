import { z } from 'zod';
import { unwrap } from './introspect.ts';

/** `max_trade_pct` → `maxTradePct`, `candle_5m_retention_days` → `candle5mRetentionDays`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** A deeply readonly copy of `T` with every table key camelCased (map keys such as model ids stay). */
export type Camelized<T> = T extends readonly (infer E)[]
  ? readonly Camelized<E>[]
  : T extends object
    ? { readonly [K in keyof T as K extends string ? CamelCase<K> : K]: Camelized<T[K]> }
    : T;

/** Runtime twin of `CamelCase`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** How to copy one schema node: a fixed table (renamed keys), a map (keys kept), a list, or a value. */
type Plan =
  | { readonly kind: 'table'; readonly fields: ReadonlyMap<string, { readonly name: string; readonly plan: Plan }> }
  | { readonly kind: 'map'; readonly entry: Plan }
  | { readonly kind: 'list'; readonly item: Plan }
  | { readonly kind: 'value' };

const plans = new WeakMap<z.ZodType, Plan>();

function planFor(schema: z.ZodType): Plan {
  const node = unwrap(schema);
  if (node instanceof z.ZodObject) {
    const fields = new Map<string, { name: string; plan: Plan }>();
    for (const [key, child] of Object.entries(node.shape as Record<string, z.ZodType>)) fields.set(key, { name: camelCase(key), plan: planFor(child) });
    return { kind: 'table', fields };
  }
  if (node instanceof z.ZodRecord) return { kind: 'map', entry: planFor(node.valueType as z.ZodType) };
  if (node instanceof z.ZodArray) return { kind: 'list', item: planFor(node.element as z.ZodType) };
  return { kind: 'value' };
}

function copy(plan: Plan, value: unknown): unknown {
  switch (plan.kind) {
    case 'table': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const field = plan.fields.get(key);
        if (field === undefined) throw new Error(`camelize: key ${key} is not in the schema`);
        out[field.name] = copy(field.plan, child);
      }
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) out[key] = copy(plan.entry, child);
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => copy(plan.item, v));
    case 'value':
      return value;
  }
}

/**
 * Copies a validated value, camelCasing the keys of fixed tables. Keys of maps (z.record: model
 * ids) are data, not names, and are kept as written. Pure (the per-schema plan is cached).
 */
export function camelize(schema: z.ZodType, value: unknown): unknown {
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = planFor(schema);
    plans.set(schema, plan);
  }
  return copy(plan, value);
}
