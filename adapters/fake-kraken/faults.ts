/**
 * Armed fault injections of one fake exchange. The control surface arms them; the REST router,
 * the WebSocket hub and the engine consume them.
 */

/** What a REST fault does to a matching call. */
export type RestFaultKind =
  /** A raw HTTP status (e.g. 502, 520) with a non-Kraken body, as Cloudflare sends. */
  | { readonly kind: 'http'; readonly status: number }
  /** A Kraken envelope error (`EService:Unavailable`, `EAPI:Rate limit exceeded`, …), HTTP 200. */
  | { readonly kind: 'error'; readonly error: string }
  /** The reply is held back for `delayMs` real ms (`null`: until the server closes). */
  | { readonly kind: 'delay'; readonly delayMs: number | null };

/** A REST fault request as the control surface takes it. */
export type RestFaultSpec = RestFaultKind & {
  /** How many matching calls it affects (default 1). */
  readonly count?: number;
  /** Endpoint names it applies to (`AddOrder`, `Balance`, …); default every endpoint. */
  readonly methods?: readonly string[];
  /**
   * For `http`/`error`: whether the call is still executed before the failure is returned (the
   * order exists although the client sees an error). Default false. Delays always execute.
   */
  readonly processed?: boolean;
};

/** An armed REST fault. */
export interface ArmedRestFault {
  readonly fault: RestFaultKind;
  readonly methods: readonly string[] | null;
  readonly processed: boolean;
  remaining: number;
}

/** Which WebSocket endpoint(s) a fault targets. */
export type WsTarget = 'public' | 'private' | 'all';

/** All armed faults. */
export class FaultState {
  private readonly rest: ArmedRestFault[] = [];
  /** Next cancels of a live order: fill it instead ('pending': reply `pending`, fill after the reply; 'unknown': fill first, reply `EOrder:Unknown order`). */
  fillAfterCancel: { mode: 'pending' | 'unknown'; remaining: number } | null = null;
  /** Book messages whose checksum is deliberately wrong. */
  corruptChecksums = 0;
  /** WebSocket upgrade attempts refused with HTTP 503. */
  refuseWsConnections = 0;

  /** Arms a REST fault. Throws `RangeError` on a bad count or status. */
  armRest(spec: RestFaultSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`fault count must be an integer ≥ 1, got ${count}`);
    if (spec.kind === 'http' && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) {
      throw new RangeError(`fault HTTP status must be 400..599, got ${spec.status}`);
    }
    if (spec.kind === 'error' && !/^[EW][A-Za-z]+:/.test(spec.error)) {
      throw new RangeError(`fault error must look like a Kraken error ("EService:Unavailable"), got ${JSON.stringify(spec.error)}`);
    }
    if (spec.kind === 'delay' && spec.delayMs !== null && (!Number.isFinite(spec.delayMs) || spec.delayMs < 0)) {
      throw new RangeError(`fault delay must be ≥ 0 ms or null, got ${spec.delayMs}`);
    }
    const fault: RestFaultKind =
      spec.kind === 'http' ? { kind: 'http', status: spec.status } : spec.kind === 'error' ? { kind: 'error', error: spec.error } : { kind: 'delay', delayMs: spec.delayMs };
    this.rest.push({ fault, methods: spec.methods ? [...spec.methods] : null, processed: spec.kind === 'delay' ? true : (spec.processed ?? false), remaining: count });
  }

  /** Takes the first armed REST fault that applies to `method`, consuming one use. */
  takeRest(method: string): ArmedRestFault | null {
    const i = this.rest.findIndex((f) => f.methods === null || f.methods.includes(method));
    if (i < 0) return null;
    const f = this.rest[i]!;
    f.remaining--;
    if (f.remaining <= 0) this.rest.splice(i, 1);
    return f;
  }

  /** Consumes one "fill after cancel" use; returns its mode or null. */
  takeFillAfterCancel(): 'pending' | 'unknown' | null {
    if (this.fillAfterCancel === null) return null;
    const mode = this.fillAfterCancel.mode;
    this.fillAfterCancel.remaining--;
    if (this.fillAfterCancel.remaining <= 0) this.fillAfterCancel = null;
    return mode;
  }

  /** Disarms everything. */
  clear(): void {
    this.rest.length = 0;
    this.fillAfterCancel = null;
    this.corruptChecksums = 0;
    this.refuseWsConnections = 0;
  }
}
