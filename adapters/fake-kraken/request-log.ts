/**
 * Every request the fake exchange received, in arrival order, so tests can assert facts such as
 * "AddOrder was sent exactly once" or "the client retried after EService:Unavailable".
 */

/** One logged request. `httpStatus`/`errors` are filled in when the reply is written. */
export interface LoggedRequest {
  /** 1, 2, 3… in arrival order across REST and WS. */
  readonly seq: number;
  readonly transport: 'rest' | 'ws';
  /** REST method name (`AddOrder`) or `ws:<method>` (`ws:subscribe`). */
  readonly endpoint: string;
  /** URL path for REST; `public`/`private` for WS. */
  readonly path: string;
  /** Parameters as received (text values; WS tokens redacted). */
  readonly params: Readonly<Record<string, string>>;
  /** API key of a private REST call (as sent, even if invalid), else null. */
  readonly apiKey: string | null;
  /** Simulated time at arrival, ms. */
  readonly simTimeMs: number;
  /** HTTP status of the reply (REST), null until replied / for WS. */
  httpStatus: number | null;
  /** Kraken errors returned (REST envelope or WS `error`), null when none. */
  errors: string[] | null;
  /** Name of the injected fault that shaped the reply, else null. */
  fault: string | null;
  /** Message of an unexpected exception inside the fake (a bug in the fake), else null. */
  internalError: string | null;
}

/** Filter for `RequestLog.list`. */
export interface RequestFilter {
  readonly endpoint?: string;
  readonly transport?: 'rest' | 'ws';
}

/** Append-only request log. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];
  private nextSeq = 1;

  /** Records a request and returns the live entry (to complete when replying). */
  add(e: Pick<LoggedRequest, 'transport' | 'endpoint' | 'path' | 'params' | 'apiKey' | 'simTimeMs'>): LoggedRequest {
    const entry: LoggedRequest = { ...e, seq: this.nextSeq++, httpStatus: null, errors: null, fault: null, internalError: null };
    this.entries.push(entry);
    return entry;
  }

  /** Copies of the entries matching `filter`, oldest first. */
  list(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries
      .filter((e) => (filter.endpoint === undefined || e.endpoint === filter.endpoint) && (filter.transport === undefined || e.transport === filter.transport))
      .map((e) => ({ ...e, params: { ...e.params }, errors: e.errors === null ? null : [...e.errors] }));
  }

  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void {
    this.entries.length = 0;
  }
}
