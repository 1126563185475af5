import { describe, expect, it } from 'vitest';
import { resolveSandboxOptions } from '../../../strategies/sandbox/options.ts';
import { checkReport } from '../../../strategies/sandbox/host/process.ts';
import { type SpawnCapabilities, permissionFlagFor, planRunnerSpawn, runnerV8StackKb } from '../../../strategies/sandbox/host/spawn.ts';
import type { RunnerReport } from '../../../strategies/sandbox/protocol/messages.ts';

const caps = (over: Partial<SpawnCapabilities> = {}): SpawnCapabilities => ({
  permissionFlag: '--experimental-permission',
  netns: 'root',
  netnsProblem: null,
  unsharePath: '/usr/bin/unshare',
  unshareCanSetuid: true,
  isRoot: true,
  stackLimitKb: 8192,
  ...over,
});

const report = (over: Partial<RunnerReport> = {}): RunnerReport => ({
  nodeVersion: 'v20.20.2',
  pid: 42,
  uid: 65534,
  gid: 65534,
  permissionModel: true,
  canReadAnyFile: false,
  canWriteFiles: false,
  canSpawn: false,
  canUseWorkers: false,
  envCount: 0,
  networkInterfaces: [],
  ...over,
});

describe('Node permission flag by version', () => {
  it.each([
    ['v20.20.2', '--experimental-permission'],
    ['v22.12.0', '--experimental-permission'],
    ['v22.13.0', '--permission'],
    ['v23.4.0', '--experimental-permission'],
    ['v23.5.0', '--permission'],
    ['v24.0.0', '--permission'],
    ['v26.1.0', '--permission'],
    ['v18.19.0', null],
    ['garbage', null],
  ])('%s → %s', (version, flag) => {
    expect(permissionFlagFor(version)).toBe(flag);
  });
});

describe('runner V8 stack', () => {
  it('is 8× the engine stack so QuickJS trips first, within the OS stack limit less 1 MiB', () => {
    expect(runnerV8StackKb(512, 8192)).toBe(4096);
    expect(runnerV8StackKb(1024, 8192)).toBe(7168);
    expect(runnerV8StackKb(64, 8192)).toBe(984); // never below V8's default
    expect(runnerV8StackKb(4096, null)).toBe(7168);
  });
});

describe('runner command line', () => {
  const options = resolveSandboxOptions();
  const bundle = '/tmp/trading-brain-sandbox-0/runner-abc.mjs';

  it('as root with netns: unshare --net, drop to nobody, permission model reading only the bundle, empty env', () => {
    const plan = planRunnerSpawn(bundle, options, caps(), '/usr/bin/node');
    expect(plan.command).toBe('/usr/bin/unshare');
    expect(plan.args).toEqual([
      '--net',
      '--setgid=65534',
      '--setuid=65534',
      '--',
      '/usr/bin/node',
      '--experimental-permission',
      `--allow-fs-read=${bundle}`,
      '--disable-warning=ExperimentalWarning',
      '--stack-size=4096',
      // 64 + ceil(6 × 16 MiB / 1 MiB)
      '--max-old-space-size=160',
      bundle,
    ]);
    expect(plan.options.env).toEqual({});
    expect(plan.options.uid).toBeUndefined();
    expect(plan.expect).toEqual({ permissionModel: true, netns: true, uid: 65534 });
  });

  it('unprivileged with user namespaces: unshare --net --map-root-user, no uid change', () => {
    const plan = planRunnerSpawn(bundle, options, caps({ isRoot: false, netns: 'userns' }), '/usr/bin/node');
    expect(plan.args.slice(0, 4)).toEqual(['--net', '--map-root-user', '--', '/usr/bin/node']);
    expect(plan.expect).toEqual({ permissionModel: true, netns: true, uid: null });
  });

  it('as root without netns: node directly, uid/gid through spawn', () => {
    const plan = planRunnerSpawn(bundle, options, caps({ netns: null, netnsProblem: 'no' }), '/usr/bin/node');
    expect(plan.command).toBe('/usr/bin/node');
    expect(plan.options.uid).toBe(65534);
    expect(plan.options.gid).toBe(65534);
    expect(plan.expect.netns).toBe(false);
  });

  it('as root with an unshare that cannot switch uid: the uid drop wins over the network namespace', () => {
    const plan = planRunnerSpawn(bundle, options, caps({ unshareCanSetuid: false }), '/usr/bin/node');
    expect(plan.command).toBe('/usr/bin/node');
    expect(plan.options.uid).toBe(65534);
    expect(plan.expect).toEqual({ permissionModel: true, netns: false, uid: 65534 });
  });

  it('network off and privileges kept when asked', () => {
    const plan = planRunnerSpawn(bundle, resolveSandboxOptions({ network: 'off', dropPrivileges: 'off' }), caps(), '/usr/bin/node');
    expect(plan.command).toBe('/usr/bin/node');
    expect(plan.options.uid).toBeUndefined();
    expect(plan.expect).toEqual({ permissionModel: true, netns: false, uid: null });
  });
});

describe('ready report check (fail closed)', () => {
  const plan = planRunnerSpawn('/b.mjs', resolveSandboxOptions(), caps(), '/usr/bin/node');

  it('accepts a runner with every requested protection', () => {
    expect(checkReport(report(), plan)).toBeNull();
  });

  it.each([
    [{ envCount: 3 }, 'its environment has 3 variables (expected none)'],
    [{ permissionModel: false }, "Node's permission model is not active"],
    [{ canWriteFiles: true, canSpawn: true }, 'it may write files, spawn processes'],
    [{ networkInterfaces: ['lo', 'eth0'] }, 'it sees network interfaces (lo, eth0) although it was started in an empty network namespace'],
    [{ uid: 0 }, 'it runs as uid 0, expected 65534'],
  ] as const)('refuses %o', (over, reason) => {
    expect(checkReport(report(over), plan)).toBe(reason);
  });
});

describe('options', () => {
  it('has the brain.toml defaults and refuses bad values with the option name', () => {
    const o = resolveSandboxOptions();
    expect([o.memoryMb, o.stackKb, o.callDeadlineMs, o.maxMessageBytes, o.maxRunnerRestarts, o.restartWindowMs]).toEqual([64, 512, 1000, 16 * 1024 * 1024, 5, 3_600_000]);
    expect(() => resolveSandboxOptions({ memoryMb: 4 })).toThrow('sandbox option memoryMb must be an integer in [8, 2048], got 4');
    expect(() => resolveSandboxOptions({ historyLimits: { '5m': 0, '1h': 1, '1d': 1 } })).toThrow('historyLimits.5m');
    expect(() => resolveSandboxOptions({ network: 'maybe' as 'auto' })).toThrow("network must be 'auto', 'require' or 'off'");
  });
});
