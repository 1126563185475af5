/**
 * The sandbox runner: the process strategies run in. Started by the host (`host/spawn.ts`) with an
 * empty environment, Node's permission model (read access to this bundle only; no writes, no
 * child processes, no workers) and, where the OS allows, in a network namespace with no
 * interfaces and as an unprivileged user. It holds no secrets, no database and no network client.
 *
 * Protocol: frames (`protocol/frame.ts`) from the host on stdin; frames to the host on fd 3
 * (stdout and stderr are left for diagnostics, so stray output can never corrupt the protocol).
 * The first frame is `init`; the runner answers `ready` with a report of its own protections,
 * then serves one request at a time. When stdin closes (the host is gone) it exits.
 */
import { Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SandboxEngine } from '../engine/engine.ts';
import { FrameDecoder, encodeFrame } from '../protocol/frame.ts';
import type { HostMessage, InitMessage, RunnerReport } from '../protocol/messages.ts';

/** Largest frame accepted until `init` sets sandbox.max_message_bytes (the init frame, assets + wasm, is ≈ 1 MiB). */
const BOOT_FRAME_CAP = 64 * 1024 * 1024;

const out = new Socket({ fd: 3, readable: false, writable: true });
let maxMessageBytes = BOOT_FRAME_CAP;
let engine: SandboxEngine | null = null;
const decoder = new FrameDecoder(BOOT_FRAME_CAP);
const queue: string[] = [];
let busy = false;

function send(message: unknown): void {
  const frame = encodeFrame(message, maxMessageBytes);
  if (frame.ok) {
    out.write(frame.frame);
    return;
  }
  const id = (message as { id?: unknown }).id;
  const fallback = encodeFrame(
    { type: 'result', id: typeof id === 'number' ? id : -1, ok: false, kind: 'invalidOutput', reason: `the result is a ${frame.reason}`, discarded: false },
    maxMessageBytes,
  );
  if (fallback.ok) out.write(fallback.frame);
}

/** Protocol breach by the host (never expected): say why on stderr and exit; the host sees the exit. */
function fatal(reason: string): never {
  process.stderr.write(`sandbox runner: ${reason}\n`);
  process.exit(3);
}

function has(scope: string): boolean {
  const permission = (process as unknown as { permission?: { has(scope: string): boolean } }).permission;
  return permission === undefined ? true : permission.has(scope);
}

function report(): RunnerReport {
  const ifaces = networkInterfaces();
  return {
    nodeVersion: process.version,
    pid: process.pid,
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    gid: typeof process.getgid === 'function' ? process.getgid() : null,
    permissionModel: (process as unknown as { permission?: unknown }).permission !== undefined,
    canReadAnyFile: has('fs.read'),
    canWriteFiles: has('fs.write'),
    canSpawn: has('child'),
    canUseWorkers: has('worker'),
    envCount: Object.keys(process.env).length,
    networkInterfaces: Object.keys(ifaces).filter((name) => (ifaces[name] ?? []).length > 0),
  };
}

function init(message: InitMessage): void {
  maxMessageBytes = message.maxMessageBytes;
  decoder.setMaxBytes(maxMessageBytes);
  const WebAssemblyApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WebAssembly.Module } }).WebAssembly;
  const wasmModule = new WebAssemblyApi.Module(Buffer.from(message.wasmBase64, 'base64'));
  engine = new SandboxEngine({ assets: message.assets, wasmModule, memoryBytes: message.memoryBytes, stackBytes: message.stackBytes });
  send({ type: 'ready', report: report() });
}

async function handle(message: HostMessage): Promise<void> {
  if (message.type === 'init') {
    if (engine !== null) fatal('a second init message');
    init(message);
    return;
  }
  if (engine === null) fatal(`a ${message.type} message before init`);
  if (message.type === 'unload') {
    engine.unload(message.session);
    send({ type: 'result', id: message.id, ok: true, guest: 'null' });
    return;
  }
  const outcome =
    message.type === 'load'
      ? await engine.load(message.session, message.code, JSON.stringify(message.input), message.deadlineMs)
      : message.type === 'run'
        ? await engine.runOnce(message.code, JSON.stringify(message.input), message.deadlineMs)
        : engine.call(message.session, message.fn, message.input === null ? '' : JSON.stringify(message.input), message.deadlineMs);
  if (outcome.ok) send({ type: 'result', id: message.id, ok: true, guest: outcome.guest });
  else send({ type: 'result', id: message.id, ok: false, kind: outcome.kind, reason: outcome.reason, discarded: outcome.discarded });
}

async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (queue.length > 0) {
      const text = queue.shift()!;
      let message: HostMessage;
      try {
        message = JSON.parse(text) as HostMessage;
      } catch {
        fatal('a frame that is not JSON');
      }
      await handle(message);
    }
  } finally {
    busy = false;
  }
}

process.stdin.on('data', (chunk: Buffer) => {
  const decoded = decoder.push(chunk);
  if (!decoded.ok) fatal(decoded.reason);
  for (const text of decoded.texts) queue.push(text);
  void pump();
});
process.stdin.on('end', () => {
  out.end(() => process.exit(0));
});
