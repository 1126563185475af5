/**
 * Deterministic identifiers in Kraken's shapes: order ids `OUF4EM-FRGI2-MQMWZD` (6-5-6, first
 * character `O`), trade ids `T…` and amend ids `T…` of the same shape, WS tokens and connection
 * ids. Seeded, so a run with the same seed and the same requests yields the same ids.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A seeded id source (mulberry32 underneath). */
export class IdSource {
  private state: number;

  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }

  /** Next uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A Kraken-shaped id starting with `prefix` (`O` orders, `T` trades and amends). */
  krakenId(prefix: 'O' | 'T'): string {
    return `${prefix}${this.chars(ALPHABET, 5)}-${this.chars(ALPHABET, 5)}-${this.chars(ALPHABET, 6)}`;
  }

  /** A 43-character WebSockets token. */
  token(): string {
    return this.chars(TOKEN_ALPHABET, 43);
  }

  /** A 64-bit unsigned connection id (exceeds 2^53, as Kraken's do). */
  connectionId(): bigint {
    const hi = BigInt(Math.floor(this.next() * 2 ** 32));
    const lo = BigInt(Math.floor(this.next() * 2 ** 32));
    return (hi << 32n) | lo | (1n << 63n);
  }

  private chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}
