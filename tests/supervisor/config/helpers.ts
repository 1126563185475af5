import { expect } from 'vitest';
import { parseConfig, type BrainConfig, type ConfigProblem, type ConfigResult } from '../../../supervisor/config/index.ts';

/** Parses TOML text with an environment (empty by default). */
export function parse(tomlText: string, env: Record<string, string | undefined> = {}): ConfigResult {
  return parseConfig({ tomlText, env });
}

/** Asserts failure and returns the problems. */
export function problemsOf(result: ConfigResult): readonly ConfigProblem[] {
  if (result.ok) expect.fail(`expected problems, got a valid config (warnings: ${result.warnings.map((w) => w.key).join(', ')})`);
  return result.problems;
}

/** Asserts success and returns the config. */
export function configOf(result: ConfigResult): BrainConfig {
  if (!result.ok) expect.fail(`expected a valid config, got:\n${result.problems.map((p) => `${p.key}: ${p.message}`).join('\n')}`);
  return result.config;
}

/** The single problem of a result, asserting there is exactly one. */
export function onlyProblem(result: ConfigResult): ConfigProblem {
  const problems = problemsOf(result);
  expect(problems.map((p) => p.key)).toHaveLength(1);
  return problems[0] as ConfigProblem;
}

/** Warnings of a result (valid or not). */
export function warningsOf(result: ConfigResult): readonly ConfigProblem[] {
  return result.warnings;
}

/** An environment with every secret set to well-formed values. */
export const FULL_ENV = {
  KRAKEN_API_KEY: 'kraken-key-AAAAAAAAAAAAAAAAAAAAAAAA',
  KRAKEN_API_SECRET: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==',
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  TELEGRAM_BOT_TOKEN: '123456:ABCdefGhIJKlmNoPQRstuVWXyz',
  TELEGRAM_CHAT_ID: '-1001234567890',
  BRAIN_API_TOKEN: '0123456789abcdef0123456789abcdef0123456789abcdef',
} as const;
