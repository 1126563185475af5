/** A bounded first-in-first-out buffer (the bus's recent events, for WebSocket backfill). */

/** Keeps the last `capacity` items pushed, oldest first. */
export class RecentBuffer<T> {
  readonly #items: T[] = [];

  /** `capacity` must be an integer ≥ 1 (programmer error otherwise). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`recent buffer capacity must be an integer ≥ 1, got ${capacity}`);
  }

  /** Appends `item`, dropping the oldest when full. */
  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.capacity) this.#items.splice(0, this.#items.length - this.capacity);
  }

  /** The newest `limit` items (default: all kept), oldest first; `limit` is clamped to 0..capacity (not a finite number: all). */
  last(limit: number = this.capacity): T[] {
    const wanted = Number.isFinite(limit) ? Math.trunc(limit) : this.capacity;
    const n = Math.max(0, Math.min(wanted, this.#items.length));
    return n === 0 ? [] : this.#items.slice(-n);
  }

  /** How many items are kept. */
  get size(): number {
    return this.#items.length;
  }
}
