/**
 * The messages of the host ↔ runner protocol (each one JSON frame, see `frame.ts`), and the zod
 * schemas with which the host checks everything the runner sends: the runner executes hostile
 * code, so after an engine escape it could send anything.
 */
import { z } from 'zod';
import type { SandboxAssets } from '../engine/engine.ts';

/** First message to a new runner: its limits and the code it evaluates inside QuickJS. */
export interface InitMessage {
  readonly type: 'init';
  readonly memoryBytes: number;
  readonly stackBytes: number;
  readonly maxMessageBytes: number;
  readonly assets: SandboxAssets;
  /** The QuickJS WebAssembly binary, base64 (so the runner needs no file access besides its own code). */
  readonly wasmBase64: string;
}

/** Load (or replace) the strategy of a session. `input` is a `GuestLoadInput`. */
export interface LoadMessage {
  readonly id: number;
  readonly type: 'load';
  readonly session: string;
  readonly code: string;
  readonly input: unknown;
  readonly deadlineMs: number;
}

/** Call the loaded strategy. `input` is a `GuestAnalyzeInput`, a `GuestNotifyInput`, or null for getState. */
export interface CallMessage {
  readonly id: number;
  readonly type: 'call';
  readonly session: string;
  readonly fn: 'analyze' | 'notify' | 'getState';
  readonly input: unknown;
  readonly deadlineMs: number;
}

/** Run a one-shot module (an analysis module) in a fresh engine instance. `input` is a `GuestRunInput`. */
export interface RunMessage {
  readonly id: number;
  readonly type: 'run';
  readonly code: string;
  readonly input: unknown;
  readonly deadlineMs: number;
}

/** Drop a session's engine instance. */
export interface UnloadMessage {
  readonly id: number;
  readonly type: 'unload';
  readonly session: string;
}

/** Every message the host sends. */
export type HostMessage = InitMessage | LoadMessage | CallMessage | RunMessage | UnloadMessage;

/** What the runner observed about its own process: the host checks it against what it asked for. */
export interface RunnerReport {
  readonly nodeVersion: string;
  readonly pid: number;
  readonly uid: number | null;
  readonly gid: number | null;
  /** `process.permission` exists (the permission model is on). */
  readonly permissionModel: boolean;
  /** Each is true when the runner holds the permission (all should be false). */
  readonly canReadAnyFile: boolean;
  readonly canWriteFiles: boolean;
  readonly canSpawn: boolean;
  readonly canUseWorkers: boolean;
  /** Number of environment variables (must be 0). */
  readonly envCount: number;
  /** Names of network interfaces with an address (none inside an empty network namespace). */
  readonly networkInterfaces: readonly string[];
}

const reportSchema = z.strictObject({
  nodeVersion: z.string().max(64),
  pid: z.number().int(),
  uid: z.number().int().nullable(),
  gid: z.number().int().nullable(),
  permissionModel: z.boolean(),
  canReadAnyFile: z.boolean(),
  canWriteFiles: z.boolean(),
  canSpawn: z.boolean(),
  canUseWorkers: z.boolean(),
  envCount: z.number().int().min(0),
  networkInterfaces: z.array(z.string().max(64)).max(256),
});

const failureKind = z.enum(['timeout', 'memory', 'crashed', 'threw', 'rejected', 'invalidOutput']);

/** Every message a runner may send. */
export const runnerMessageSchema = z.union([
  z.strictObject({ type: z.literal('ready'), report: reportSchema }),
  z.strictObject({ type: z.literal('result'), id: z.number().int(), ok: z.literal(true), guest: z.string() }),
  z.strictObject({ type: z.literal('result'), id: z.number().int(), ok: z.literal(false), kind: failureKind, reason: z.string(), discarded: z.boolean() }),
]);

/** A message from the runner, after the host validated it. */
export type RunnerMessage = z.infer<typeof runnerMessageSchema>;
