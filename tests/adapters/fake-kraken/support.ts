import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { type FakeKraken, type FakeKrakenOptions, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';

/**
 * Test helpers that talk to the fake exchange the way any client would: plain `fetch`, their own
 * Kraken signature (written from reference/kraken.md §3, not imported from the server), their own
 * CRC32, and the `ws` package.
 */

export const FIXTURES = join(import.meta.dirname, '../../fixtures/candles');
export const BTC_FILE = join(FIXTURES, 'kraken_BTCUSD_5m_2023-03-09_2023-03-13.csv.gz');
export const ETH_FILE = join(FIXTURES, 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz');
export const SOL_FILE = join(FIXTURES, 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz');

/** Kraken's published example private key (reference/kraken.md §3.2). */
export const DOC_SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
export const DOC_NONCE = '1616492376594';
export const DOC_PAYLOAD = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
export const DOC_SIGNATURE = '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==';

/** Start of the replay of `SOL_PATH` (on the 5-minute grid). */
export const SOL_T0 = Date.UTC(2024, 0, 1);
const flat = (i: number, p: string) => ({ tsOpenMs: SOL_T0 + (i - 3) * 300_000, open: p, high: p, low: p, close: p, volume: '10' });

/**
 * A hand-made SOL/USD path for rule tests (use with `historyCandles: 3`): three flat candles at
 * 100, then c3 = O 100 H 101 L 99 C 100.5 (trades 100, 99, 101, 100.5 at +0/75/150/225 s), c4 flat
 * 100.5, c5 = O 95 H 96 L 94 C 95.5 (a gap down), c6 and c7 flat 95.5.
 */
export const SOL_PATH = [
  flat(0, '100'),
  flat(1, '100'),
  flat(2, '100'),
  { tsOpenMs: SOL_T0, open: '100', high: '101', low: '99', close: '100.5', volume: '8' },
  flat(4, '100.5'),
  { tsOpenMs: SOL_T0 + 600_000, open: '95', high: '96', low: '94', close: '95.5', volume: '8' },
  flat(6, '95.5'),
  flat(7, '95.5'),
];

/** One row of a fixture file, as text. */
export interface CsvRow {
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/** Reads a fixture file independently of the server's loader. */
export function readFixture(path: string): CsvRow[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [time, open, high, low, close, volume] = l.split(',');
    return { time: Number(time), open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
}

/** Starts the exchange with the three fixture markets (BTC first), plus `extra` options. */
export function startWithFixtures(extra: Partial<FakeKrakenOptions> = {}): Promise<FakeKraken> {
  return startFakeKraken({
    markets: [
      { pair: 'BTC/USD', candles: BTC_FILE },
      { pair: 'ETH/USD', candles: ETH_FILE },
      { pair: 'SOL/USD', candles: SOL_FILE },
    ],
    ...extra,
  });
}

/** API-Sign per reference/kraken.md §3.1, written independently of the server. */
export function sign(path: string, nonce: string, body: string, secretB64: string): string {
  const inner = createHash('sha256').update(nonce + body, 'utf8').digest();
  return createHmac('sha512', Buffer.from(secretB64, 'base64')).update(Buffer.concat([Buffer.from(path, 'utf8'), inner])).digest('base64');
}

let lastNonce = BigInt(Date.now()) * 1000n;
/** A strictly increasing nonce (microseconds-ish). */
export function nextNonce(): string {
  lastNonce += 1n;
  return lastNonce.toString();
}

/** A Kraken envelope. */
export interface Envelope {
  error: string[];
  result?: any;
}

/** GET a public endpoint. */
export async function pub(k: FakeKraken, method: string, query: Record<string, string | number> = {}): Promise<Envelope> {
  const qs = new URLSearchParams(Object.entries(query).map(([a, b]): [string, string] => [a, String(b)])).toString();
  const res = await fetch(`${k.restUrl}/0/public/${method}${qs ? `?${qs}` : ''}`);
  return (await res.json()) as Envelope;
}

/** Options of a private call. */
export interface PrivOptions {
  nonce?: string;
  apiKey?: string;
  secret?: string;
  json?: boolean;
  signal?: AbortSignal;
  /** Replace the computed signature. */
  signature?: string;
}

/** POST a private endpoint, form-encoded (or JSON), signed. Returns status, raw text and parsed JSON (if any). */
export async function privRaw(k: FakeKraken, method: string, params: Record<string, string> = {}, o: PrivOptions = {}): Promise<{ status: number; text: string }> {
  const nonce = o.nonce ?? nextNonce();
  const path = `/0/private/${method}`;
  const body = o.json ? JSON.stringify({ nonce, ...params }) : new URLSearchParams({ nonce, ...params }).toString();
  const cred = k.credentials[0]!;
  const res = await fetch(k.restUrl + path, {
    method: 'POST',
    body,
    signal: o.signal,
    headers: {
      'API-Key': o.apiKey ?? cred.apiKey,
      'API-Sign': o.signature ?? sign(path, nonce, body, o.secret ?? cred.apiSecret),
      'Content-Type': o.json ? 'application/json' : 'application/x-www-form-urlencoded',
      'User-Agent': 'fake-kraken-tests',
    },
  });
  return { status: res.status, text: await res.text() };
}

/** POST a private endpoint and parse the envelope. */
export async function priv(k: FakeKraken, method: string, params: Record<string, string> = {}, o: PrivOptions = {}): Promise<Envelope> {
  const r = await privRaw(k, method, params, o);
  return JSON.parse(r.text) as Envelope;
}

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320), bit by bit — independent of zlib. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'ascii')) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** One received WS message: raw text and parsed JSON. */
export interface WsMessage {
  readonly text: string;
  readonly json: any;
}

/** A minimal WS client that records every message. */
export class WsClient {
  readonly messages: WsMessage[] = [];
  private readonly consumed = new Set<number>();
  private waiters: (() => void)[] = [];
  closed: { code: number } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.messages.push({ text, json: JSON.parse(text) });
      this.wake();
    });
    socket.on('close', (code) => {
      this.closed = { code };
      this.wake();
    });
  }

  /** Connects; rejects on an HTTP refusal or socket error. */
  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const client = new WsClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first unconsumed message matching `pred` (waits up to `timeoutMs`); marks it consumed. */
  async take(pred: (m: any) => boolean, timeoutMs = 2000): Promise<WsMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m, idx) => !this.consumed.has(idx) && pred(m.json));
      if (i >= 0) {
        this.consumed.add(i);
        return this.messages[i]!;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching WS message within ${timeoutMs} ms; got:\n${this.messages.map((m) => m.text.slice(0, 200)).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Messages matching `pred` received so far (consumed or not). */
  all(pred: (m: any) => boolean): WsMessage[] {
    return this.messages.filter((m) => pred(m.json));
  }

  /** Waits until the socket is closed by either side. */
  async waitClosed(timeoutMs = 2000): Promise<{ code: number }> {
    const deadline = Date.now() + timeoutMs;
    while (this.closed === null) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): Promise<void> {
    if (this.closed !== null) return Promise.resolve();
    this.socket.close();
    return this.waitClosed().then(() => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Lets pending I/O (WS frames after a REST reply) arrive. */
export function settle(ms = 30): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
