/**
 * How the runner process is started: which Node permission flag this Node has, whether a network
 * namespace can be made (root, or unprivileged user namespaces), whether to drop to an
 * unprivileged uid, and the resulting command line. `planRunnerSpawn` is pure; the probes run
 * small child processes once per host process.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxOptions } from '../options.ts';

/** What this machine allows, found by `probeSpawnCapabilities`. */
export interface SpawnCapabilities {
  /** Node's permission flag for this version, or null when it has none (Node < 20). */
  readonly permissionFlag: '--permission' | '--experimental-permission' | null;
  /** How a network namespace can be made, or null (with the reason in `netnsProblem`). */
  readonly netns: 'root' | 'userns' | null;
  readonly netnsProblem: string | null;
  /** Path of `unshare`, when found. */
  readonly unsharePath: string | null;
  /** `unshare` can switch uid/gid itself (--setuid/--setgid, util-linux ≥ 2.33); probed as root only. */
  readonly unshareCanSetuid: boolean;
  /** The host runs as root (uid 0). */
  readonly isRoot: boolean;
  /** Soft limit of the main thread's stack (RLIMIT_STACK), KiB; null when unknown or unlimited. */
  readonly stackLimitKb: number | null;
}

/** The command line and expectations for one runner. */
export interface SpawnPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: SpawnOptions;
  /** What the runner's ready report must show, checked by the host before any strategy runs. */
  readonly expect: { readonly permissionModel: boolean; readonly netns: boolean; readonly uid: number | null };
  /** Node flags, for the protections report. */
  readonly nodeFlags: readonly string[];
  readonly netnsMethod: 'root' | 'userns' | null;
}

/** The permission flag of a Node version: `--permission` from 22.13 / 23.5, `--experimental-permission` from 20.0. Pure. */
export function permissionFlagFor(version: string): SpawnCapabilities['permissionFlag'] {
  const m = /^v?(\d+)\.(\d+)\./.exec(version);
  if (m === null) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major >= 24 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13)) return '--permission';
  if (major >= 20) return '--experimental-permission';
  return null;
}

/** V8 stack for the runner, KiB: 8× the engine's stack limit so QuickJS's own check trips first, within the OS limit. Pure. */
export function runnerV8StackKb(engineStackKb: number, stackLimitKb: number | null): number {
  const wanted = Math.max(984, engineStackKb * 8);
  const ceiling = stackLimitKb === null ? 7 * 1024 : Math.max(984, stackLimitKb - 1024);
  return Math.min(wanted, ceiling);
}

/** Builds the runner's command line from the options and the machine's capabilities. Pure. */
export function planRunnerSpawn(bundlePath: string, options: SandboxOptions, caps: SpawnCapabilities, execPath: string = process.execPath): SpawnPlan {
  const nodeFlags: string[] = [];
  if (caps.permissionFlag !== null) nodeFlags.push(caps.permissionFlag, `--allow-fs-read=${bundlePath}`);
  nodeFlags.push(
    '--disable-warning=ExperimentalWarning',
    `--stack-size=${runnerV8StackKb(options.stackKb, caps.stackLimitKb)}`,
    // Message JSON is parsed in the runner's V8 heap; the engine's heap lives in WebAssembly memory.
    `--max-old-space-size=${64 + Math.ceil((6 * options.maxMessageBytes) / (1024 * 1024))}`,
  );
  const dropUid = caps.isRoot && options.dropPrivileges === 'auto';
  // As root, a network namespace and a uid change go together only when unshare can do both.
  const useNetns = options.network !== 'off' && caps.netns !== null && caps.unsharePath !== null && !(dropUid && caps.netns === 'root' && !caps.unshareCanSetuid);
  const spawnOptions: SpawnOptions = {
    env: {},
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    cwd: dirname(bundlePath),
    windowsHide: true,
  };
  let command = execPath;
  let args: string[] = [...nodeFlags, bundlePath];
  if (useNetns) {
    const unshareArgs = ['--net'];
    if (caps.netns === 'userns') unshareArgs.push('--map-root-user');
    else if (dropUid) unshareArgs.push(`--setgid=${options.runAsGid}`, `--setuid=${options.runAsUid}`);
    command = caps.unsharePath!;
    args = [...unshareArgs, '--', execPath, ...args];
  } else if (dropUid) {
    spawnOptions.uid = options.runAsUid;
    spawnOptions.gid = options.runAsGid;
  }
  return {
    command,
    args,
    options: spawnOptions,
    expect: {
      permissionModel: caps.permissionFlag !== null,
      netns: useNetns,
      uid: dropUid ? options.runAsUid : null,
    },
    nodeFlags,
    netnsMethod: useNetns ? caps.netns : null,
  };
}

let capsPromise: Promise<SpawnCapabilities> | null = null;

/** Probes the machine once per process (runs `unshare` up to twice; ~10 ms). Never rejects. */
export function probeSpawnCapabilities(): Promise<SpawnCapabilities> {
  capsPromise ??= probe();
  return capsPromise;
}

async function probe(): Promise<SpawnCapabilities> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const unsharePath = findUnshare();
  let netns: SpawnCapabilities['netns'] = null;
  let netnsProblem: string | null = null;
  let unshareCanSetuid = false;
  if (process.platform !== 'linux') netnsProblem = `network namespaces exist only on Linux (this is ${process.platform})`;
  else if (unsharePath === null) netnsProblem = 'the unshare command (util-linux) was not found in /usr/bin, /bin, /usr/sbin or /sbin';
  else {
    const asRoot = isRoot ? await runs(unsharePath, ['--net', '--', 'true']) : 'not root';
    if (asRoot === null) {
      netns = 'root';
      unshareCanSetuid = (await runs(unsharePath, ['--net', '--setgid=65534', '--setuid=65534', '--', 'true'])) === null;
      if (!unshareCanSetuid) netnsProblem = 'this unshare cannot switch uid (--setuid needs util-linux ≥ 2.33); the runner drops to an unprivileged uid instead of entering a network namespace';
    } else {
      const asUser = await runs(unsharePath, ['--net', '--map-root-user', '--', 'true']);
      if (asUser === null) netns = 'userns';
      else netnsProblem = `unshare --net failed (${isRoot ? `as root: ${asRoot}; ` : ''}with a user namespace: ${asUser}); run as root or enable unprivileged user namespaces (kernel.unprivileged_userns_clone=1)`;
    }
  }
  return { permissionFlag: permissionFlagFor(process.version), netns, netnsProblem, unsharePath, unshareCanSetuid, isRoot, stackLimitKb: readStackLimitKb() };
}

function findUnshare(): string | null {
  for (const p of ['/usr/bin/unshare', '/bin/unshare', '/usr/sbin/unshare', '/sbin/unshare']) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Runs a command with an empty environment; null on exit code 0, else a short reason. */
function runs(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(command, args, { env: {}, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 500) stderr += d.toString('utf8');
    });
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code, signal) => resolve(code === 0 ? null : (stderr.trim().split('\n')[0] ?? '') || `exit ${code ?? signal}`));
  });
}

/** RLIMIT_STACK soft limit from /proc/self/limits (inherited by the runner), KiB; null if unknown or unlimited. */
function readStackLimitKb(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max stack size'));
    const soft = line?.slice('Max stack size'.length).trim().split(/\s+/)[0];
    if (soft === undefined || soft === 'unlimited') return null;
    const bytes = Number(soft);
    return Number.isFinite(bytes) ? Math.floor(bytes / 1024) : null;
  } catch {
    return null;
  }
}
