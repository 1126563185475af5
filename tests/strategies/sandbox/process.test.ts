/**
 * The host does not trust the runner: after an engine escape it could send anything. These tests
 * start fake runners (tiny scripts speaking just enough of the protocol) and check that the host
 * refuses a runner without the protections it asked for, and kills one that breaks the protocol
 * or does not answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerProcess } from '../../../strategies/sandbox/host/process.ts';
import type { SpawnPlan } from '../../../strategies/sandbox/host/spawn.ts';
import type { InitMessage } from '../../../strategies/sandbox/protocol/messages.ts';

const FAKE = `
import { Socket } from 'node:net';
const out = new Socket({ fd: 3, readable: false, writable: true });
const mode = process.argv[2];
const frame = (o) => { const b = Buffer.from(JSON.stringify(o)); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); return Buffer.concat([h, b]); };
const report = { nodeVersion: process.version, pid: process.pid, uid: null, gid: null, permissionModel: mode === 'claims-permission',
  canReadAnyFile: false, canWriteFiles: false, canSpawn: false, canUseWorkers: false, envCount: Object.keys(process.env).length, networkInterfaces: [] };
let buf = Buffer.alloc(0); let frames = 0;
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
    const len = buf.readUInt32BE(0); const msg = JSON.parse(buf.subarray(4, 4 + len).toString()); buf = buf.subarray(4 + len);
    if (frames++ === 0) { out.write(frame({ type: 'ready', report })); continue; }
    if (mode === 'oversize') { const h = Buffer.alloc(4); h.writeUInt32BE(0x40000000); out.write(h); }
    if (mode === 'garbage') out.write(frame({ type: 'result', id: msg.id, ok: true, guest: '[]', extra: 'field' }));
    if (mode === 'wrong-id') out.write(frame({ type: 'result', id: msg.id + 1000, ok: true, guest: '[]' }));
    if (mode === 'honest') out.write(frame({ type: 'result', id: msg.id, ok: true, guest: '{"ok":true,"value":null,"logs":[]}' }));
    // 'silent': never answers
  }
});
process.stdin.on('end', () => process.exit(0));
`;

let dir: string;
let script: string;
const init: InitMessage = { type: 'init', memoryBytes: 1 << 20, stackBytes: 1 << 16, maxMessageBytes: 1 << 20, assets: { harness: '', toolkit: '', contract: '' }, wasmBase64: '' };
const request = { id: 1, type: 'call', session: 's1', fn: 'getState', input: null, deadlineMs: 100 } as const;

function plan(mode: string, over: Partial<SpawnPlan['expect']> = {}, env: Record<string, string> = {}): SpawnPlan {
  return {
    command: process.execPath,
    args: [script, mode],
    options: { env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] },
    expect: { permissionModel: false, netns: false, uid: null, ...over },
    nodeFlags: [],
    netnsMethod: null,
  };
}

async function start(p: SpawnPlan): Promise<RunnerProcess> {
  const r = await RunnerProcess.start(p, init, { startupTimeoutMs: 10_000, maxMessageBytes: 1 << 20, onEvent: () => {} });
  if (!r.ok) throw new Error(r.reason);
  return r.runner;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tb-fake-runner-'));
  script = join(dir, 'fake-runner.mjs');
  writeFileSync(script, FAKE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a runner that breaks the protocol is killed', () => {
  it('answers normally when it follows the protocol', async () => {
    const r = await start(plan('honest'));
    expect(await r.request(request, 5000)).toEqual({ type: 'ok', guest: '{"ok":true,"value":null,"logs":[]}' });
    await r.stop(1000);
  });

  it.each([
    ['oversize', /^the sandbox runner was killed by the host: the runner broke the protocol: frame of 1 GiB announced, above the 1 MiB cap \(sandbox\.max_message_bytes\)$/],
    ['garbage', /^the sandbox runner was killed by the host: the runner sent a message that is not part of the protocol$/],
    ['wrong-id', /^the sandbox runner was killed by the host: the runner answered request 1001, which is not in flight$/],
  ])('%s', async (mode, reason) => {
    const r = await start(plan(mode));
    const reply = await r.request(request, 5000);
    expect(reply.type).toBe('exited');
    if (reply.type === 'exited') {
      expect(reply.exit.kind).toBe('crashed');
      expect(reply.exit.signal).toBe('SIGKILL');
      expect(reply.exit.reason).toMatch(reason);
    }
    expect(r.alive).toBe(false);
  });

  it('a runner that does not answer within the budget is killed', async () => {
    const r = await start(plan('silent'));
    const t = Date.now();
    expect(await r.request(request, 200)).toEqual({ type: 'timeout', reason: 'the sandbox runner did not answer within 200 ms; it was killed and will be restarted' });
    expect(Date.now() - t).toBeLessThan(3000);
    expect((await r.exited()).signal).toBe('SIGKILL');
  });
});

describe('a runner without the protections the host asked for never starts', () => {
  it('refuses a runner whose environment is not empty', async () => {
    const r = await RunnerProcess.start(plan('honest', {}, { LEAKED: 'x' }), init, { startupTimeoutMs: 10_000, maxMessageBytes: 1 << 20, onEvent: () => {} });
    expect(r).toEqual({ ok: false, reason: 'the sandbox runner started without a protection the host requires: its environment has 1 variables (expected none)' });
  });

  it('refuses a runner without the permission model when it was requested', async () => {
    const r = await RunnerProcess.start(plan('honest', { permissionModel: true }), init, { startupTimeoutMs: 10_000, maxMessageBytes: 1 << 20, onEvent: () => {} });
    expect(r).toEqual({ ok: false, reason: "the sandbox runner started without a protection the host requires: Node's permission model is not active" });
  });

  it('reports a runner that exits before it is ready, with its last output', async () => {
    const r = await RunnerProcess.start({ ...plan('honest'), args: ['-e', 'console.error("boom at start"); process.exit(7)'] }, init, { startupTimeoutMs: 10_000, maxMessageBytes: 1 << 20, onEvent: () => {} });
    expect(r).toEqual({ ok: false, reason: 'the sandbox runner exited while starting (exit code 7); its last output: boom at start' });
  });
});
