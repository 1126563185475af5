/**
 * Every request the fake Messages API received, in arrival order, with its raw body: tests
 * assert facts such as "nothing was sent", "the SDK retried twice" or "no secret is in any
 * prompt".
 */

/** One logged request; `status`/`reply` are filled in when the reply is written. */
export interface FakeAnthropicRequest {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  /** Headers as received (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** How the key came: `bearer` (Authorization: Bearer), `x-api-key`, or null (none). */
  readonly auth: 'bearer' | 'x-api-key' | null;
  /** The SDK's retry counter header `x-stainless-retry-count` (0 for the first attempt), null if absent. */
  readonly retryCount: number | null;
  /** The raw request body text. */
  readonly bodyText: string;
  /** The parsed JSON body, or null when it was not JSON. */
  readonly body: unknown;
  /** Wall-clock arrival, ms since epoch. */
  readonly receivedAtMs: number;
  /** HTTP status of the reply, null until replied (or never, for a hang / aborted request). */
  status: number | null;
  /** What answered: `message:<stop_reason>`, `error:<type>`, `hang`, or the fake's own refusal (`invalid:<why>`). */
  reply: string | null;
}

/** Append-only request log. */
export class FakeRequestLog {
  private readonly entries: FakeAnthropicRequest[] = [];
  private nextSeq = 1;

  /** Records a request and returns the live entry (completed when replying). */
  add(e: Omit<FakeAnthropicRequest, 'seq' | 'status' | 'reply'>): FakeAnthropicRequest {
    const entry: FakeAnthropicRequest = { ...e, seq: this.nextSeq++, status: null, reply: null };
    this.entries.push(entry);
    return entry;
  }

  /** Copies of all entries, oldest first. */
  list(): FakeAnthropicRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void {
    this.entries.length = 0;
  }
}
