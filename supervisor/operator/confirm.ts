/**
 * Confirmation tokens for commands that need a second, deliberate step (forcing a candidate):
 * issued for one exact action, valid until an absolute deadline on the injected clock, usable
 * once. Kept in memory: a restart forgets them, which only means asking again.
 */

/** One issued token. */
interface Pending {
  readonly action: string;
  readonly expiresAtMs: number;
}

/** Why a presented token does not confirm the action. */
export type ConfirmOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The tokens issued and not yet used or expired. */
export class ConfirmationBook {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly ttlMs: number,
    private readonly newToken: () => string,
  ) {
    if (!(Number.isInteger(ttlMs) && ttlMs > 0)) throw new RangeError(`confirmation TTL must be an integer > 0 ms, got ${ttlMs}`);
  }

  /** Issues a token for `action` (a stable key such as 'forceCandidate:1:v3'), valid until `nowMs + ttl`. */
  issue(action: string, nowMs: number): { token: string; expiresAtMs: number } {
    this.#sweep(nowMs);
    const token = this.newToken();
    const expiresAtMs = nowMs + this.ttlMs;
    this.#pending.set(token, { action, expiresAtMs });
    return { token, expiresAtMs };
  }

  /** Consumes `token` if it was issued for `action` and has not expired; any use spends it. */
  redeem(token: string, action: string, nowMs: number): ConfirmOutcome {
    const pending = this.#pending.get(token);
    this.#sweep(nowMs);
    if (!pending) return { ok: false, reason: 'the confirmation token is unknown or was already used; ask again for a fresh one' };
    this.#pending.delete(token);
    if (nowMs > pending.expiresAtMs) {
      return { ok: false, reason: `the confirmation token expired at ${new Date(pending.expiresAtMs).toISOString()}; ask again for a fresh one` };
    }
    if (pending.action !== action) {
      return { ok: false, reason: `the confirmation token was issued for a different action (${pending.action}); ask again for a fresh one` };
    }
    return { ok: true };
  }

  #sweep(nowMs: number): void {
    for (const [token, p] of this.#pending) if (nowMs > p.expiresAtMs + this.ttlMs) this.#pending.delete(token);
  }
}
