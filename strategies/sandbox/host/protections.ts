/**
 * Which protections the sandbox runner really has, for `brain doctor` and the startup log:
 * built from the command line the host used and the report the runner made of itself.
 */
import type { RunnerReport } from '../protocol/messages.ts';
import type { SandboxOptions } from '../options.ts';
import type { SpawnCapabilities, SpawnPlan } from './spawn.ts';

/** What protects the host from a strategy's runner, as observed at its start (docs/sandbox.md, “Protections”). */
export interface SandboxProtections {
  /** The runner started and reported; false when `problem` says why not (then the rest describes the plan only). */
  readonly runnerStarted: boolean;
  readonly problem: string | null;
  /** Node's permission model is active in the runner. */
  readonly permissionModel: boolean;
  /** The flag used: '--permission' (Node ≥ 22.13) or '--experimental-permission' (Node 20), or null. */
  readonly flag: string | null;
  /** Files the runner may read (its own bundle only). */
  readonly fsRead: readonly string[];
  /** Each false when denied, as the runner reported. */
  readonly fsWrite: boolean;
  readonly childProcesses: boolean;
  readonly workers: boolean;
  /** The runner lives in a network namespace without interfaces. */
  readonly netns: boolean;
  /** How: 'root' (unshare --net as root) or 'userns' (unshare --net --map-root-user), or null. */
  readonly netnsMethod: 'root' | 'userns' | null;
  /** Network interfaces with an address that the runner sees (none with netns). */
  readonly networkInterfaces: readonly string[];
  /** The runner's environment is empty (always: it is spawned with `env: {}`, and the host refuses a runner reporting otherwise). */
  readonly emptyEnv: true;
  /** The uid the runner runs as (null: unknown), and whether it was dropped from root. */
  readonly uid: number | null;
  readonly droppedPrivileges: boolean;
  readonly engine: string;
  readonly memoryMb: number;
  readonly stackKb: number;
  readonly callDeadlineMs: number;
  readonly nodeVersion: string;
  /** One line per protection that is missing, with the reason and the remedy. */
  readonly missing: readonly string[];
}

/** Combines the spawn plan and the runner's own report. Pure. */
export function describeProtections(plan: SpawnPlan, report: RunnerReport | null, caps: SpawnCapabilities, options: SandboxOptions, engine: string): SandboxProtections {
  const missing: string[] = [];
  const permissionModel = report?.permissionModel ?? false;
  if (!permissionModel) missing.push(`Node's permission model is off (${caps.permissionFlag === null ? `Node ${process.version} has none` : 'the runner did not report it'})`);
  const netns = plan.expect.netns && report !== null && report.networkInterfaces.length === 0;
  if (!netns) {
    if (options.network === 'off') missing.push('network namespace: disabled by the sandbox network option');
    else missing.push(`network namespace: ${caps.netnsProblem ?? 'not active'}; the runner has no network client, but nothing below the engine blocks sockets`);
  }
  const droppedPrivileges = plan.expect.uid !== null && report?.uid === plan.expect.uid;
  if (caps.isRoot && !droppedPrivileges) missing.push('the runner runs as root (dropPrivileges is off); a dedicated uid limits what an escape could touch');
  const bundle = plan.args[plan.args.length - 1] ?? '';
  return {
    runnerStarted: report !== null,
    problem: null,
    permissionModel,
    flag: caps.permissionFlag,
    fsRead: caps.permissionFlag === null ? ['(everything: no permission model)'] : [bundle],
    fsWrite: report?.canWriteFiles ?? true,
    childProcesses: report?.canSpawn ?? true,
    workers: report?.canUseWorkers ?? true,
    netns,
    netnsMethod: netns ? plan.netnsMethod : null,
    networkInterfaces: report?.networkInterfaces ?? [],
    emptyEnv: true,
    uid: report?.uid ?? null,
    droppedPrivileges,
    engine,
    memoryMb: options.memoryMb,
    stackKb: options.stackKb,
    callDeadlineMs: options.callDeadlineMs,
    nodeVersion: report?.nodeVersion ?? process.version,
    missing,
  };
}
