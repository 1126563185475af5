/**
 * A unified line diff (`diff -u` format) from a longest-common-subsequence table. Pure.
 * Common prefix and suffix are trimmed first, so the table covers only the changed middle.
 */

/** One line of an edit script: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** Above this many cells (changed lines a × changed lines b) the LCS table is refused. */
export const MAX_DIFF_CELLS = 25_000_000;

/** Splits text into lines; a final newline does not start an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script turning `a` into `b` (removals before additions in each change). Throws RangeError past `MAX_DIFF_CELLS`. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_DIFF_CELLS) throw new RangeError(`diff too large: ${n} × ${m} changed lines exceeds ${MAX_DIFF_CELLS} cells`);
  // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB), row-major (m + 1) wide.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ op: ' ', text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ op: ' ', text: a[start + i]! });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      out.push({ op: '-', text: a[start + i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[start + j]! });
      j++;
    }
  }
  for (let k = endA; k < a.length; k++) out.push({ op: ' ', text: a[k]! });
  return out;
}

/**
 * `diff -u` text of `a` → `b` with `context` lines around each change and `---`/`+++` headers;
 * the empty string when they are equal line for line.
 */
export function unifiedDiff(a: string, b: string, labelA: string, labelB: string, context = 3): string {
  const script = diffLines(splitLines(a), splitLines(b));
  if (script.every((l) => l.op === ' ')) return '';
  const lines = [`--- ${labelA}`, `+++ ${labelB}`];
  // Line numbers (1-based) of each script entry in a and b.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 1;
  let lb = 1;
  for (const l of script) {
    posA.push(la);
    posB.push(lb);
    if (l.op !== '+') la++;
    if (l.op !== '-') lb++;
  }
  let k = 0;
  while (k < script.length) {
    while (k < script.length && script[k]!.op === ' ') k++;
    if (k >= script.length) break;
    const from = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2 × context kept lines.
    for (;;) {
      while (end < script.length && script[end]!.op !== ' ') end++;
      let next = end;
      while (next < script.length && script[next]!.op === ' ') next++;
      if (next < script.length && next - end <= 2 * context) end = next;
      else break;
    }
    const to = Math.min(script.length, end + context);
    const hunk = script.slice(from, to);
    const countA = hunk.filter((l) => l.op !== '+').length;
    const countB = hunk.filter((l) => l.op !== '-').length;
    const startA = countA === 0 ? posA[from]! - 1 : posA[from]!;
    const startB = countB === 0 ? posB[from]! - 1 : posB[from]!;
    lines.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const l of hunk) lines.push(`${l.op}${l.text}`);
    k = to;
  }
  return lines.join('\n');
}
