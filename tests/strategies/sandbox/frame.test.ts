import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FrameDecoder, encodeFrame, formatBytes } from '../../../strategies/sandbox/protocol/frame.ts';
import { runs } from '../../support/runs.ts';

function frameOf(message: unknown, cap = 1 << 20): Buffer {
  const f = encodeFrame(message, cap);
  if (!f.ok) throw new Error(f.reason);
  return f.frame;
}

describe('length-prefixed JSON frames', () => {
  it('writes a 4-byte big-endian length, then the UTF-8 JSON', () => {
    // {"a":"é"} is 10 bytes in UTF-8: é is two bytes (0xC3 0xA9).
    const f = frameOf({ a: 'é' });
    expect(f.length).toBe(FRAME_HEADER_BYTES + 10);
    expect([...f.subarray(0, 4)]).toEqual([0, 0, 0, 10]);
    expect(f.subarray(4).toString('utf8')).toBe('{"a":"é"}');
  });

  it('refuses to encode a message above the cap and says how large it was', () => {
    const r = encodeFrame({ data: 'x'.repeat(2000) }, 1024);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.bytes).toBe(2011);
      expect(r.reason).toBe('message of 2.0 KiB is above sandbox.max_message_bytes (1 KiB)');
    }
  });

  it('decodes a frame split at every possible byte', () => {
    const f = frameOf({ hello: 'wörld', n: [1, 2, 3] });
    for (let cut = 0; cut <= f.length; cut++) {
      const d = new FrameDecoder(1024);
      const a = d.push(f.subarray(0, cut));
      const b = d.push(f.subarray(cut));
      expect(a.ok && b.ok).toBe(true);
      const texts = [...(a.ok ? a.texts : []), ...(b.ok ? b.texts : [])];
      expect(texts.map((t) => JSON.parse(t))).toEqual([{ hello: 'wörld', n: [1, 2, 3] }]);
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('decodes several frames from one chunk and keeps a partial one for later', () => {
    const a = frameOf({ id: 1 });
    const b = frameOf({ id: 2 });
    const c = frameOf({ id: 3 });
    const d = new FrameDecoder(1024);
    const first = d.push(Buffer.concat([a, b, c.subarray(0, 5)]));
    expect(first.ok && first.texts.map((t) => JSON.parse(t).id)).toEqual([1, 2]);
    expect(d.pendingBytes).toBe(5);
    const second = d.push(c.subarray(5));
    expect(second.ok && second.texts.map((t) => JSON.parse(t).id)).toEqual([3]);
  });

  it('treats a header announcing more than the cap as a fatal stream error, and stays failed', () => {
    const d = new FrameDecoder(100);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(101, 0);
    const r = d.push(header);
    expect(r).toEqual({ ok: false, reason: 'frame of 101 B announced, above the 100 B cap (sandbox.max_message_bytes)' });
    expect(d.push(frameOf({ ok: 1 })).ok).toBe(false);
  });

  it('accepts a frame exactly at the cap', () => {
    const f = frameOf('x'.repeat(98)); // "xxx…" with quotes: 100 bytes
    const d = new FrameDecoder(100);
    const r = d.push(f);
    expect(r.ok && r.texts.length).toBe(1);
  });

  it('can change its cap for later frames', () => {
    const d = new FrameDecoder(64 * 1024);
    d.setMaxBytes(10);
    expect(d.push(frameOf('x'.repeat(20))).ok).toBe(false);
    expect(() => d.setMaxBytes(0)).toThrow(RangeError);
  });

  it('round-trips any JSON messages under any chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }),
        (messages, sizes) => {
          const stream = Buffer.concat(messages.map((m) => frameOf(m)));
          const d = new FrameDecoder(1 << 20);
          const got: unknown[] = [];
          let at = 0;
          let i = 0;
          while (at < stream.length) {
            const size = sizes[i++ % sizes.length]!;
            const r = d.push(stream.subarray(at, at + size));
            if (!r.ok) return false;
            for (const t of r.texts) got.push(JSON.parse(t));
            at += size;
          }
          // JSON turns -0 into 0; compare through JSON like the wire does.
          return JSON.stringify(got) === JSON.stringify(messages) && d.pendingBytes === 0;
        },
      ),
      { numRuns: runs(1000) },
    );
  });

  it('formats sizes for people', () => {
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
  });
});
