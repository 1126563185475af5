import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedDiff } from '../../../strategies/loader/index.ts';
import { runs } from '../../support/runs.ts';

/** Classic O(n·m) LCS length, written independently of the implementation. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const cur = [0];
    for (let j = 0; j < b.length; j++) cur.push(x === b[j] ? prev[j]! + 1 : Math.max(prev[j + 1]!, cur[j]!));
    prev = cur;
  }
  return prev[b.length]!;
}

describe('unified diff', () => {
  it('prints a hand-checked diff -u hunk', () => {
    const a = 'a\nb\nc\nd\n';
    const b = 'a\nB\nc\nd\ne\n';
    // As GNU diff -u prints it for these two files (b→B, e appended; 3 lines of context merge them).
    expect(unifiedDiff(a, b, 'v001', 'v002')).toBe(['--- v001', '+++ v002', '@@ -1,4 +1,5 @@', ' a', '-b', '+B', ' c', ' d', '+e'].join('\n'));
  });

  it('splits distant changes into separate hunks with correct ranges', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const b = [...a];
    b[1] = 'X';
    b[17] = 'Y';
    const text = unifiedDiff(a.join('\n'), b.join('\n'), 'A', 'B');
    // Change at line 2: context lines 1..5; change at line 18: context 15..20.
    expect(text.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
  });

  it('is empty for equal texts and handles empty sides', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny', 'a', 'b')).toBe('');
    expect(unifiedDiff('', 'x\n', 'a', 'b')).toBe(['--- a', '+++ b', '@@ -0,0 +1,1 @@', '+x'].join('\n'));
    expect(unifiedDiff('x\n', '', 'a', 'b')).toBe(['--- a', '+++ b', '@@ -1,1 +0,0 @@', '-x'].join('\n'));
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
  });

  it('the edit script rebuilds both sides and keeps a longest common subsequence', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 25 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const script = diffLines(a, b);
        expect(script.filter((l) => l.op !== '+').map((l) => l.text)).toEqual(a);
        expect(script.filter((l) => l.op !== '-').map((l) => l.text)).toEqual(b);
        expect(script.filter((l) => l.op === ' ').length).toBe(lcsLength(a, b));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('hunk headers count exactly the lines that follow them', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const out = unifiedDiff(a, b, 'a', 'b').split('\n').slice(2);
        let i = 0;
        while (i < out.length && out[i] !== '') {
          const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(out[i]!);
          expect(m).not.toBeNull();
          const body = [];
          i++;
          while (i < out.length && !out[i]!.startsWith('@@')) body.push(out[i++]!);
          expect(body.filter((l) => l[0] !== '+').length).toBe(Number(m![2]));
          expect(body.filter((l) => l[0] !== '-').length).toBe(Number(m![4]));
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
