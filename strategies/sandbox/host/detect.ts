/**
 * `detectSandboxProtections`: starts a real runner with the given options, reads the protections
 * it reports, and stops it. For `brain doctor` and the startup log.
 */
import type { SandboxOptions } from '../options.ts';
import { SandboxHost } from './host.ts';
import { describeProtections, type SandboxProtections } from './protections.ts';
import { planRunnerSpawn, probeSpawnCapabilities } from './spawn.ts';

/**
 * Which protections a runner started with `options` has (≈ 0.2–0.5 s: it starts one). When the
 * runner cannot start, `runnerStarted` is false, `problem` says why, and the rest describes what
 * would have been requested. Never rejects.
 */
export async function detectSandboxProtections(options: Partial<SandboxOptions> = {}): Promise<SandboxProtections> {
  const host = new SandboxHost({ ...options, maxRunnerRestarts: 0 });
  try {
    const started = await host.start();
    if (started.ok) return started.protections;
    const caps = await probeSpawnCapabilities();
    const plan = planRunnerSpawn('(runner bundle)', host.options, caps);
    return { ...describeProtections(plan, null, caps, host.options, 'quickjs-emscripten (not started)'), runnerStarted: false, problem: started.reason };
  } finally {
    await host.close();
  }
}
