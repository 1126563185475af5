/**
 * Maps positions in esbuild's output back to the TypeScript source, from a version-3 source map
 * (base64 VLQ `mappings`). Only what the static check needs: generated line/column → original
 * line/column. Pure.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT: Readonly<Record<string, number>> = Object.fromEntries([...BASE64].map((c, i) => [c, i]));

/** [generated column, original line, original column], 0-based, sorted by generated column. */
type Segment = readonly [number, number, number];

/**
 * A function from a generated (1-based line, 0-based column) to the original position
 * (1-based line, 0-based column): the closest mapped segment at or before the column on that
 * line, else the line's first segment; null when the line has none. Returns null for a map it
 * cannot read.
 */
export function createPositionMapper(mapJson: string): ((line: number, column: number) => { line: number; column: number } | null) | null {
  let mappings: string;
  try {
    const map = JSON.parse(mapJson) as { version?: unknown; mappings?: unknown };
    if (map.version !== 3 || typeof map.mappings !== 'string') return null;
    mappings = map.mappings;
  } catch {
    return null;
  }
  const lines = decodeMappings(mappings);
  if (lines === null) return null;
  return (line, column) => {
    const segments = lines[line - 1];
    if (segments === undefined || segments.length === 0) return null;
    let best = segments[0]!;
    for (const s of segments) {
      if (s[0] <= column) best = s;
      else break;
    }
    return { line: best[1] + 1, column: best[2] };
  };
}

/** Decodes `mappings` into segments per generated line; null when malformed. */
export function decodeMappings(mappings: string): Segment[][] | null {
  const lines: Segment[][] = [];
  // Source-file and name indexes are ignored: a strategy is one file.
  let srcLine = 0;
  let srcCol = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let genCol = 0;
    if (lineText.length > 0) {
      for (const segText of lineText.split(',')) {
        const values = decodeVlq(segText);
        if (values === null || (values.length !== 1 && values.length !== 4 && values.length !== 5)) return null;
        genCol += values[0]!;
        if (values.length >= 4) {
          srcLine += values[2]!;
          srcCol += values[3]!;
          segments.push([genCol, srcLine, srcCol]);
        }
      }
    }
    segments.sort((a, b) => a[0] - b[0]);
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] | null {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = DIGIT[ch];
    if (digit === undefined) return null;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      if (shift > 30) return null;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return shift === 0 ? out : null;
}
