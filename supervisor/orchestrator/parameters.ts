/**
 * Declared strategy parameters: how a strategy says which constants may be tuned, within which
 * ranges, so the local advisor can search them and write candidate code by substitution.
 *
 * The convention (one parameter per line, inside one exported object literal):
 *
 *   export const parameters = {
 *     fastPeriod: { value: 9, min: 5, max: 15, step: 1 },
 *     stopLossPct: { value: 0.02, min: 0.01, max: 0.05, step: 0.005 },
 *   };
 *
 * and the code reads `parameters.fastPeriod.value`. Values are numbers on the grid
 * `min + k·step` (k integer ≥ 0, value ≤ max). Anything else on a line of the block (a trailing
 * `description: '…'`) is kept as written. Pure.
 */

/** One declared parameter. */
export interface ParameterSpec {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** Where the block starts. */
const BLOCK_START = /^export\s+const\s+parameters\s*=\s*\{\s*$/m;
const LINE = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*:\s*\{\s*value\s*:\s*)(-?\d+(?:\.\d+)?(?:e-?\d+)?)(\s*,\s*min\s*:\s*)(-?\d+(?:\.\d+)?(?:e-?\d+)?)(\s*,\s*max\s*:\s*)(-?\d+(?:\.\d+)?(?:e-?\d+)?)(\s*,\s*step\s*:\s*)(\d+(?:\.\d+)?(?:e-?\d+)?)(.*)$/;

/** The block's lines: [start, end) line indices, or a reason. */
function blockLines(lines: readonly string[]): { ok: true; from: number; to: number } | { ok: false; reason: string } {
  const start = lines.findIndex((l) => BLOCK_START.test(l));
  if (start < 0) return { ok: false, reason: 'no `export const parameters = {` block: the strategy declares no tunable parameters' };
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\s*\}\s*;?\s*$/.test(lines[i]!)) return { ok: true, from: start + 1, to: i };
  }
  return { ok: false, reason: `the parameters block opened on line ${start + 1} is never closed by a line \`};\`` };
}

/**
 * The parameters `source` declares. Returns a reason naming the line when a line of the block is
 * not `name: { value: N, min: A, max: B, step: S },`, when min > max, step ≤ 0, the value lies
 * outside [min, max], or a name repeats.
 */
export function parseParameters(source: string): { ok: true; parameters: ParameterSpec[] } | { ok: false; reason: string } {
  const lines = source.split('\n');
  const block = blockLines(lines);
  if (!block.ok) return block;
  const out: ParameterSpec[] = [];
  for (let i = block.from; i < block.to; i++) {
    const line = lines[i]!;
    if (/^\s*(\/\/.*)?$/.test(line)) continue;
    const m = LINE.exec(line);
    if (!m) return { ok: false, reason: `line ${i + 1}: expected \`name: { value: N, min: A, max: B, step: S },\`, got ${JSON.stringify(line.trim())}` };
    const spec = { name: m[2]!, value: Number(m[4]), min: Number(m[6]), max: Number(m[8]), step: Number(m[10]) };
    if (!(spec.min <= spec.max)) return { ok: false, reason: `line ${i + 1}: ${spec.name}: min ${spec.min} is above max ${spec.max}` };
    if (!(spec.step > 0)) return { ok: false, reason: `line ${i + 1}: ${spec.name}: step must be > 0, got ${spec.step}` };
    if (spec.value < spec.min || spec.value > spec.max) return { ok: false, reason: `line ${i + 1}: ${spec.name}: value ${spec.value} is outside [${spec.min}, ${spec.max}]` };
    if (out.some((p) => p.name === spec.name)) return { ok: false, reason: `line ${i + 1}: parameter ${spec.name} is declared twice` };
    out.push(spec);
  }
  if (out.length === 0) return { ok: false, reason: 'the parameters block is empty' };
  return { ok: true, parameters: out };
}

/** Number of grid points of a parameter (`min + k·step ≤ max`). */
export function gridSize(p: ParameterSpec): number {
  return Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
}

/** The k-th grid value of `p`, rounded to the step's decimals (no float noise in code). */
export function gridValue(p: ParameterSpec, k: number): number {
  const decimals = Math.max(decimalsOf(p.step), decimalsOf(p.min));
  return Number((p.min + k * p.step).toFixed(decimals));
}

function decimalsOf(x: number): number {
  const s = String(x);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * `source` with each named parameter's `value` replaced (other parameters and every other byte
 * unchanged). Returns a reason for an unknown name or a value outside the declared range.
 */
export function substituteParameters(source: string, values: Readonly<Record<string, number>>): { ok: true; source: string } | { ok: false; reason: string } {
  const lines = source.split('\n');
  const block = blockLines(lines);
  if (!block.ok) return block;
  const parsed = parseParameters(source);
  if (!parsed.ok) return parsed;
  for (const [name, value] of Object.entries(values)) {
    const spec = parsed.parameters.find((p) => p.name === name);
    if (!spec) return { ok: false, reason: `unknown parameter ${JSON.stringify(name)}; declared: ${parsed.parameters.map((p) => p.name).join(', ')}` };
    if (!Number.isFinite(value) || value < spec.min || value > spec.max) return { ok: false, reason: `${name}: ${value} is outside [${spec.min}, ${spec.max}]` };
  }
  for (let i = block.from; i < block.to; i++) {
    const m = LINE.exec(lines[i]!);
    if (!m) continue;
    const v = values[m[2]!];
    if (v === undefined) continue;
    lines[i] = `${m[1]}${m[2]}${m[3]}${String(v)}${m[5]}${m[6]}${m[7]}${m[8]}${m[9]}${m[10]}${m[11]}`;
  }
  return { ok: true, source: lines.join('\n') };
}

/** mulberry32: floats in [0, 1) from a 32-bit seed. Pure given the seed. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a text, as a 32-bit seed. Pure. */
export function seedOfText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Canonical key of a parameter assignment (sorted names), for "already tried" checks. */
export function assignmentKey(values: Readonly<Record<string, number>>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${k}=${values[k]}`)
    .join(',');
}

/**
 * A bounded, seeded random search step: draws a grid point for every parameter with `random`,
 * skipping assignments in `tried` (and the current values); null when `maxDraws` draws found
 * nothing new (the grid is exhausted or nearly so). Deterministic given `random`.
 */
export function drawAssignment(
  parameters: readonly ParameterSpec[],
  random: () => number,
  tried: ReadonlySet<string>,
  maxDraws = 200,
): Record<string, number> | null {
  const current = assignmentKey(Object.fromEntries(parameters.map((p) => [p.name, p.value])));
  for (let d = 0; d < maxDraws; d++) {
    const values: Record<string, number> = {};
    for (const p of parameters) values[p.name] = gridValue(p, Math.floor(random() * gridSize(p)));
    const key = assignmentKey(values);
    if (key !== current && !tried.has(key)) return values;
  }
  return null;
}
