/**
 * Who may bind and who may connect: loopback only unless explicitly allowed, the token, the
 * Origin of browsers, the Host header (DNS rebinding), the HTTP routes.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type InspectionServer,
  type InspectionServerOptions,
  checkInspectionServerOptions,
  createInspectionServer,
} from '../../../supervisor/inspect/index.ts';
import { record } from './support.ts';

const TOKEN = 'tok-0123456789abcdef-inspect';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(options: Partial<InspectionServerOptions> = {}): Promise<InspectionServer> {
  const r = await createInspectionServer({ port: 0, secrets: [], ...options });
  if (!r.ok) throw new Error(r.reason);
  cleanups.push(() => r.server.close());
  return r.server;
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('binding', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses the non-loopback host %s', async (host) => {
    const r = await createInspectionServer({ host, port: 0, secrets: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(`host is "${host}", which is not a loopback address`);
  });

  it('refuses a non-loopback host even when allowed if there is no token', () => {
    expect(checkInspectionServerOptions({ host: '0.0.0.0', port: 0, allowNonLoopback: true })).toEqual([
      'host is "0.0.0.0" with allowNonLoopback: a non-loopback inspection server needs a token',
    ]);
    expect(checkInspectionServerOptions({ host: '0.0.0.0', port: 0, allowNonLoopback: true, token: TOKEN })).toEqual([]);
  });

  it.each(['127.0.0.1', 'localhost', '::1', '127.0.0.2'])('accepts the loopback host %s', (host) => {
    expect(checkInspectionServerOptions({ host, port: 0 })).toEqual([]);
  });

  it('collects every bad option with its value and what is allowed', () => {
    const problems = checkInspectionServerOptions({
      port: 70_000,
      token: 'short',
      maxContextBytes: 10,
      heartbeatMs: 5,
      allowedOrigins: ['http://x:1/path'],
      statelyUrl: 'http://stately.ai/inspect',
    });
    expect(problems).toEqual([
      'port is 70000: allowed is an integer 0–65535 (0 picks a free port)',
      'token is not usable: allowed is a string of at least 16 characters without whitespace',
      'maxContextBytes is 10: allowed is an integer 256–16777216',
      'heartbeatMs is 5: allowed is 0 (off) or an integer 1000–3600000',
      'allowedOrigins contains "http://x:1/path": allowed are origins like "http://127.0.0.1:8765" (scheme, host, port; no path)',
      'statelyUrl is "http://stately.ai/inspect": allowed is an https URL',
    ]);
  });

  it('reports a port in use as a value', async () => {
    const first = await startServer();
    const second = await createInspectionServer({ port: first.port, secrets: [] });
    expect(second).toEqual({ ok: false, reason: `inspection server could not listen on 127.0.0.1:${first.port}: EADDRINUSE` });
  });
});

describe('connecting', () => {
  it('requires the token when one is set (query or bearer header)', async () => {
    const server = await startServer({ token: TOKEN });
    await expect(record(server.url)).rejects.toThrow('refused: 401');
    await expect(record(`${server.url}?token=${TOKEN}x`)).rejects.toThrow('refused: 401');
    await expect(record(server.url, { authorization: 'Bearer nope-nope-nope-nope' })).rejects.toThrow('refused: 401');
    const byQuery = await record(`${server.url}?token=${encodeURIComponent(TOKEN)}`);
    const byHeader = await record(server.url, { authorization: `Bearer ${TOKEN}` });
    expect(server.stats().clients).toHaveLength(2);
    await byQuery.close();
    await byHeader.close();
  });

  it('refuses browser origins other than the same origin and the allowed ones', async () => {
    const server = await startServer({ allowedOrigins: ['http://127.0.0.1:8765'] });
    await expect(record(server.url, { origin: 'https://evil.example' })).rejects.toThrow('refused: 403');
    await expect(record(server.url, { origin: 'null' })).rejects.toThrow('refused: 403');
    // Another loopback origin is still another origin (another local web app).
    await expect(record(server.url, { origin: `http://127.0.0.1:${server.port + 1}` })).rejects.toThrow('refused: 403');
    await expect(record(server.url, { origin: `http://localhost:${server.port}` })).rejects.toThrow('refused: 403');
    const own = [
      { origin: `http://127.0.0.1:${server.port}` }, // the bridge page, same origin
      { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` },
      { origin: 'http://127.0.0.1:8765' }, // allowed explicitly
    ];
    for (const headers of own) {
      const c = await record(server.url, headers);
      await c.close();
    }
  });

  it('refuses a Host header that is not this server (DNS rebinding)', async () => {
    const server = await startServer();
    await expect(record(server.url, { host: `evil.example:${server.port}` })).rejects.toThrow('refused: 403');
    expect((await get(`http://127.0.0.1:${server.port}/stately`, { host: 'evil.example' })).status).toBe(403);
    const ok = await record(server.url, { host: `localhost:${server.port}` });
    await ok.close();
  });

  it('caps the number of clients', async () => {
    const server = await startServer({ maxClients: 1 });
    const first = await record(server.url);
    await expect(record(server.url)).rejects.toThrow('refused: 503');
    await first.close();
  });
});

describe('HTTP routes', () => {
  it('serves the Stately bridge page without referrer leaks, with a strict CSP', async () => {
    const server = await startServer({ token: TOKEN });
    const page = await get(`${server.statelyBridgeUrl}?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(page.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain('frame-src https://stately.ai;');
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).toContain('"https://stately.ai/inspect"');
    expect(page.body).toContain('@statelyai.connected');
    expect(page.body).not.toContain(TOKEN); // read by the browser from its own URL, never echoed
  });

  it('answers / with help, other paths with 404, other methods with 405', async () => {
    const server = await startServer();
    const help = await get(`http://127.0.0.1:${server.port}/`);
    expect(help.status).toBe(200);
    expect(help.body).toContain(`ws://127.0.0.1:${server.port}/`);
    expect((await get(`http://127.0.0.1:${server.port}/nope`)).status).toBe(404);
    const post = await new Promise<number>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${server.port}/`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(post).toBe(405);
  });
});
