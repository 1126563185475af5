/** "BTC/USD" → "BTCUSD": the symbol part of an automatic tag. Pure. */
export function tagSymbol(symbol: string): string {
  return symbol.replaceAll('/', '');
}

/** `<prefix>_<SYMBOLNOSLASH>_<NNN>` with NNN zero-padded to at least 3 digits (predecessor §5). Pure. */
export function formatAutoTag(prefix: string, symbol: string, n: number): string {
  return `${prefix}_${tagSymbol(symbol)}_${String(n).padStart(3, '0')}`;
}

/**
 * Parses an automatic tag of `prefix`: `{ key: "BTCUSD", n: 7 }` for "auto_BTCUSD_007", else
 * null. Pure.
 */
export function parseAutoTag(prefix: string, tag: string): { readonly key: string; readonly n: number } | null {
  if (!tag.startsWith(`${prefix}_`)) return null;
  const m = /^(.+)_(\d{3,})$/.exec(tag.slice(prefix.length + 1));
  if (!m) return null;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? { key: m[1]!, n } : null;
}

/**
 * Counters raised so that no automatic tag of `prefix` ever repeats one in `tags` (open
 * positions and closed trades on restore, or an explicit tag that happens to look automatic).
 * Pure; returns the same object when nothing changes.
 */
export function raiseTagCounters(
  counters: Readonly<Record<string, number>>,
  prefix: string,
  tags: Iterable<string>,
): Readonly<Record<string, number>> {
  let out = counters;
  for (const tag of tags) {
    const parsed = parseAutoTag(prefix, tag);
    if (parsed && parsed.n > (out[parsed.key] ?? 0)) out = { ...out, [parsed.key]: parsed.n };
  }
  return out;
}
