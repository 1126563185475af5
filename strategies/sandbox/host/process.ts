/**
 * One runner child process, seen from the host: spawn it, hand it its limits and code, check its
 * ready report against the protections we asked for (fail closed), send one request at a time and
 * wait for the reply with a wall-clock budget, and notice when it dies. Everything the child sends
 * is checked with zod; a malformed or oversize frame kills it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { FrameDecoder, encodeFrame } from '../protocol/frame.ts';
import { sanitizeText } from '../protocol/json.ts';
import { type CallMessage, type InitMessage, type LoadMessage, type RunMessage, type RunnerReport, type UnloadMessage, runnerMessageSchema } from '../protocol/messages.ts';
import type { SandboxEvent } from '../options.ts';
import type { SpawnPlan } from './spawn.ts';

/** How a runner ended. */
export interface RunnerExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** crashed, or memory when the runner's own V8 heap ran out. */
  readonly kind: 'crashed' | 'memory';
  readonly reason: string;
}

/** The answer to one request. */
export type RunnerReply =
  | { readonly type: 'ok'; readonly guest: string }
  | { readonly type: 'failed'; readonly kind: 'timeout' | 'memory' | 'crashed' | 'threw' | 'rejected' | 'invalidOutput'; readonly reason: string; readonly discarded: boolean }
  /** The runner did not answer in time; it has been killed. */
  | { readonly type: 'timeout'; readonly reason: string }
  /** The runner died (or was killed for a protocol breach) before answering. */
  | { readonly type: 'exited'; readonly exit: RunnerExit }
  /** The request could not be sent (too large). */
  | { readonly type: 'unsent'; readonly reason: string };

type Request = LoadMessage | CallMessage | RunMessage | UnloadMessage;

const TAIL_CHARS = 2000;

/** A started runner process. */
export class RunnerProcess {
  readonly pid: number;
  readonly report: RunnerReport;
  private readonly child: ChildProcess;
  private readonly maxMessageBytes: number;
  private pending: { id: number; resolve: (r: RunnerReply) => void; timer: NodeJS.Timeout } | null = null;
  private exitInfo: RunnerExit | null = null;
  private killReason: { kind: 'crashed' | 'memory'; reason: string } | null = null;
  private stopping = false;
  private readonly exitWaiters: ((exit: RunnerExit) => void)[] = [];
  private readonly outputTail: { text: string };

  private constructor(child: ChildProcess, report: RunnerReport, maxMessageBytes: number, tail: { text: string }) {
    this.child = child;
    this.pid = child.pid!;
    this.report = report;
    this.maxMessageBytes = maxMessageBytes;
    this.outputTail = tail;
  }

  /**
   * Spawns a runner, sends `init`, waits for its ready report and checks it against the plan's
   * expectations. Resolves with the running process, or with the reason it could not start (the
   * child is killed then). Never rejects.
   */
  static start(
    plan: SpawnPlan,
    init: InitMessage,
    options: { readonly startupTimeoutMs: number; readonly maxMessageBytes: number; readonly onEvent: (e: SandboxEvent) => void },
  ): Promise<{ ok: true; runner: RunnerProcess } | { ok: false; reason: string }> {
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(plan.command, plan.args, plan.options);
      } catch (err) {
        resolve({ ok: false, reason: `could not spawn the sandbox runner: ${(err as Error).message}` });
        return;
      }
      const tail = { text: '' };
      let runner: RunnerProcess | null = null;
      let settled = false;
      const finish = (result: { ok: true; runner: RunnerProcess } | { ok: false; reason: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!result.ok) child.kill('SIGKILL');
        resolve(result);
      };
      const timer = setTimeout(() => finish({ ok: false, reason: `the sandbox runner did not report ready within ${options.startupTimeoutMs} ms${tailText(tail.text)}` }), options.startupTimeoutMs);
      child.on('error', (err) => finish({ ok: false, reason: `could not spawn the sandbox runner: ${err.message}` }));
      const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
        const text = sanitizeText(chunk.toString('utf8'), TAIL_CHARS);
        tail.text = (tail.text + text).slice(-TAIL_CHARS);
        if (child.pid !== undefined) options.onEvent({ type: 'runner.output', pid: child.pid, stream, text });
      };
      child.stdout?.on('data', collect('stdout'));
      child.stderr?.on('data', collect('stderr'));
      const decoder = new FrameDecoder(options.maxMessageBytes);
      const fromRunner = child.stdio[3] as Readable | undefined;
      const toRunner = child.stdin as Writable | null;
      if (fromRunner === undefined || toRunner === null) {
        finish({ ok: false, reason: 'the sandbox runner was spawned without its protocol pipes' });
        return;
      }
      toRunner.on('error', () => {
        // EPIPE when the child died; the exit handler reports it.
      });
      fromRunner.on('data', (chunk: Buffer) => {
        const decoded = decoder.push(chunk);
        if (!decoded.ok) {
          if (runner !== null) runner.breach(`the runner broke the protocol: ${decoded.reason}`);
          else finish({ ok: false, reason: `the sandbox runner broke the protocol while starting: ${decoded.reason}` });
          return;
        }
        for (const text of decoded.texts) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const message = runnerMessageSchema.safeParse(parsed);
          if (!message.success) {
            const reason = 'the runner sent a message that is not part of the protocol';
            if (runner !== null) runner.breach(reason);
            else finish({ ok: false, reason: `the sandbox runner broke the protocol while starting: ${reason}` });
            return;
          }
          const m = message.data;
          if (m.type === 'ready') {
            if (runner !== null || settled) {
              runner?.breach('the runner sent a second ready message');
              return;
            }
            const problem = checkReport(m.report, plan);
            if (problem !== null) {
              finish({ ok: false, reason: `the sandbox runner started without a protection the host requires: ${problem}` });
              return;
            }
            runner = new RunnerProcess(child, m.report, options.maxMessageBytes, tail);
            finish({ ok: true, runner });
          } else if (runner !== null) {
            runner.onResult(m);
          }
        }
      });
      child.on('exit', (code, signal) => {
        if (runner !== null) runner.onExit(code, signal);
        else finish({ ok: false, reason: `the sandbox runner exited while starting (${describeExit(code, signal)})${tailText(tail.text)}` });
      });
      const frame = encodeFrame(init, Math.max(options.maxMessageBytes, 64 * 1024 * 1024));
      if (!frame.ok) {
        finish({ ok: false, reason: `the init message is a ${frame.reason}` });
        return;
      }
      toRunner.write(frame.frame);
    });
  }

  /** True until the process has exited or been sent SIGKILL (a killed runner takes no more requests). */
  get alive(): boolean {
    return this.exitInfo === null && this.killReason === null;
  }

  /**
   * Sends one request and waits for its reply, at most `budgetMs`; past that the runner is
   * killed (SIGKILL) and the reply is `timeout`. One request at a time (the host serialises).
   */
  request(message: Request, budgetMs: number): Promise<RunnerReply> {
    if (this.exitInfo !== null) return Promise.resolve({ type: 'exited', exit: this.exitInfo });
    if (this.pending !== null) throw new Error('RunnerProcess.request: a request is already in flight (the host must serialise)');
    const frame = encodeFrame(message, this.maxMessageBytes);
    if (!frame.ok) return Promise.resolve({ type: 'unsent', reason: `the ${message.type === 'call' ? message.fn : message.type} input is a ${frame.reason}` });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending?.id !== message.id) return;
        this.pending = null;
        this.kill('crashed', `it did not answer within ${budgetMs} ms`);
        resolve({ type: 'timeout', reason: `the sandbox runner did not answer within ${budgetMs} ms; it was killed and will be restarted` });
      }, budgetMs);
      this.pending = { id: message.id, resolve, timer };
      this.child.stdin!.write(frame.frame);
    });
  }

  /** Kills the process (SIGKILL). Idempotent. */
  kill(kind: 'crashed' | 'memory', reason: string): void {
    if (this.exitInfo !== null) return;
    this.killReason ??= { kind, reason };
    this.child.kill('SIGKILL');
  }

  /** Resolves when the process has exited (at once if it already has). */
  exited(): Promise<RunnerExit> {
    if (this.exitInfo !== null) return Promise.resolve(this.exitInfo);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Closes the runner's stdin (it exits by itself) and kills it if it is still there after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.exitInfo !== null) return;
    this.stopping = true;
    this.child.stdin?.end();
    const timer = setTimeout(() => this.kill('crashed', 'stopped by the host'), graceMs);
    await this.exited();
    clearTimeout(timer);
  }

  private breach(reason: string): void {
    this.kill('crashed', reason);
  }

  private onResult(m: Extract<ReturnType<typeof runnerMessageSchema.parse>, { type: 'result' }>): void {
    const p = this.pending;
    if (p === null || p.id !== m.id) {
      this.breach(`the runner answered request ${m.id}, which is not in flight`);
      return;
    }
    clearTimeout(p.timer);
    this.pending = null;
    if (m.ok) p.resolve({ type: 'ok', guest: m.guest });
    else p.resolve({ type: 'failed', kind: m.kind, reason: m.reason, discarded: m.discarded });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const tail = this.outputTail.text;
    const killed = this.killReason;
    const outOfMemory = /heap out of memory|Reached heap limit|Allocation failed/i.test(tail);
    const kind = killed?.kind ?? (outOfMemory ? 'memory' : 'crashed');
    const why = killed !== null ? `was killed by the host: ${killed.reason}` : this.stopping ? `was stopped by the host (${describeExit(code, signal)})` : outOfMemory ? `its V8 heap ran out (${describeExit(code, signal)})` : `exited unexpectedly (${describeExit(code, signal)})`;
    this.exitInfo = { code, signal, kind, reason: `the sandbox runner ${why}${killed === null && !this.stopping ? tailText(tail) : ''}` };
    const p = this.pending;
    if (p !== null) {
      clearTimeout(p.timer);
      this.pending = null;
      p.resolve({ type: 'exited', exit: this.exitInfo });
    }
    for (const w of this.exitWaiters.splice(0)) w(this.exitInfo);
  }
}

/** Why a ready report does not match what the host asked for, or null. Pure. */
export function checkReport(report: RunnerReport, plan: SpawnPlan): string | null {
  if (report.envCount !== 0) return `its environment has ${report.envCount} variables (expected none)`;
  if (plan.expect.permissionModel) {
    if (!report.permissionModel) return 'Node\'s permission model is not active';
    const held = (
      [
        ['read any file', report.canReadAnyFile],
        ['write files', report.canWriteFiles],
        ['spawn processes', report.canSpawn],
        ['start workers', report.canUseWorkers],
      ] as const
    ).filter(([, v]) => v);
    if (held.length > 0) return `it may ${held.map(([k]) => k).join(', ')}`;
  }
  if (plan.expect.netns && report.networkInterfaces.length > 0) return `it sees network interfaces (${report.networkInterfaces.join(', ')}) although it was started in an empty network namespace`;
  if (plan.expect.uid !== null && report.uid !== plan.expect.uid) return `it runs as uid ${String(report.uid)}, expected ${plan.expect.uid}`;
  return null;
}

function describeExit(code: number | null, signal: string | null): string {
  return signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
}

function tailText(tail: string): string {
  const t = tail.trim();
  return t === '' ? '' : `; its last output: ${t.slice(-600)}`;
}
