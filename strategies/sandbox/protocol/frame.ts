/**
 * Length-prefixed JSON frames, the wire format between the fund (host) and the sandbox runner:
 * a 4-byte unsigned big-endian byte length, then that many bytes of UTF-8 JSON. Both sides cap
 * the length (`sandbox.max_message_bytes`); a frame above the cap is never buffered.
 *
 * Used on both sides of the process boundary, so it depends on nothing but `Buffer`.
 */

/** Bytes of the length prefix. */
export const FRAME_HEADER_BYTES = 4;

/** Largest length a 4-byte header can state (the cap can never exceed it). */
export const MAX_FRAME_BYTES = 0xffff_ffff;

/**
 * Encodes one message as a frame. Returns the reason instead of a frame when the JSON text is
 * larger than `maxBytes` (the caller fails the call with it). Throws only for values
 * `JSON.stringify` rejects (cycles, BigInt): the protocol messages are built by our own code.
 */
export function encodeFrame(message: unknown, maxBytes: number): { ok: true; frame: Buffer } | { ok: false; bytes: number; reason: string } {
  const text = JSON.stringify(message);
  if (text === undefined) throw new TypeError('encodeFrame: the message is not JSON-serialisable');
  // Buffer.byteLength is exact and cheaper than encoding first when the text is far too large.
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return { ok: false, bytes, reason: `message of ${formatBytes(bytes)} is above sandbox.max_message_bytes (${formatBytes(maxBytes)})` };
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + bytes);
  frame.writeUInt32BE(bytes, 0);
  frame.write(text, FRAME_HEADER_BYTES, 'utf8');
  return { ok: true, frame };
}

/** What the decoder produced from one chunk: whole frames' JSON texts, or a fatal stream error. */
export type DecodeResult = { ok: true; texts: string[] } | { ok: false; reason: string };

/**
 * Incremental frame decoder. Feed it stream chunks of any size (a frame may arrive split across
 * chunks, several frames may share one chunk); it returns the JSON text of every completed frame.
 * A header announcing more than `maxBytes` is a fatal stream error: the decoder refuses further
 * input, because the stream can no longer be trusted to be in sync.
 */
export class FrameDecoder {
  private maxBytes: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private needed = -1;
  private failed: string | null = null;

  /** `maxBytes`: the largest frame body accepted (1 ≤ maxBytes ≤ MAX_FRAME_BYTES). Throws RangeError otherwise. */
  constructor(maxBytes: number) {
    this.maxBytes = checkCap(maxBytes);
  }

  /** Changes the cap for frames whose header has not been read yet. Throws RangeError like the constructor. */
  setMaxBytes(maxBytes: number): void {
    this.maxBytes = checkCap(maxBytes);
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered + (this.needed >= 0 ? FRAME_HEADER_BYTES : 0);
  }

  /** Adds a chunk; returns the completed frames, or the fatal error (also for every later call). */
  push(chunk: Buffer): DecodeResult {
    if (this.failed !== null) return { ok: false, reason: this.failed };
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const texts: string[] = [];
    for (;;) {
      if (this.needed < 0) {
        if (this.buffered < FRAME_HEADER_BYTES) break;
        const length = this.take(FRAME_HEADER_BYTES).readUInt32BE(0);
        if (length > this.maxBytes) {
          this.failed = `frame of ${formatBytes(length)} announced, above the ${formatBytes(this.maxBytes)} cap (sandbox.max_message_bytes)`;
          this.chunks = [];
          this.buffered = 0;
          return { ok: false, reason: this.failed };
        }
        this.needed = length;
      }
      if (this.buffered < this.needed) break;
      texts.push(this.take(this.needed).toString('utf8'));
      this.needed = -1;
    }
    return { ok: true, texts };
  }

  /** Removes and returns the first `n` buffered bytes (n ≤ buffered). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length === n) {
      this.chunks.shift();
      this.buffered -= n;
      return first;
    }
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const part = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, part);
      filled += part;
      if (part === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(part);
    }
    this.buffered -= n;
    return out;
  }
}

function checkCap(maxBytes: number): number {
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_FRAME_BYTES) {
    throw new RangeError(`FrameDecoder: maxBytes must be an integer in [1, ${MAX_FRAME_BYTES}], got ${String(maxBytes)}`);
  }
  return maxBytes;
}

/** '16 MiB', '1.5 KiB', '12 B': for reasons a person reads. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}
