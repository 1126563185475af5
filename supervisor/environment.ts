import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export type EnvResult =
  | { ok: true; env: Record<string, string | undefined>; loadedFrom?: string }
  | { ok: false; message: string };

/**
 * The process environment merged with an optional `.env` file. Variables already set in the
 * environment win over the file (systemd's `EnvironmentFile=` and a shell export behave alike).
 * An explicitly named file that is missing or unreadable is bad input; the default `./.env` is
 * optional.
 */
export function loadEnvironment(
  processEnv: Record<string, string | undefined>,
  cwd: string,
  explicitFile?: string,
): EnvResult {
  const path = resolve(cwd, explicitFile ?? '.env');
  if (!existsSync(path)) {
    if (explicitFile !== undefined) return { ok: false, message: `--env-file ${explicitFile}: no such file` };
    return { ok: true, env: { ...processEnv } };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read ${path}: ${(err as Error).message}` };
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  return { ok: true, env: { ...fromFile, ...processEnv }, loadedFrom: path };
}

/** The configuration file path: --config, then $BRAIN_CONFIG, then ./brain.toml. */
export function configPath(cwd: string, env: Record<string, string | undefined>, explicit?: string): string {
  return resolve(cwd, explicit ?? env.BRAIN_CONFIG ?? 'brain.toml');
}
