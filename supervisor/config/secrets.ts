/**
 * Secrets come only from the environment (or the `.env` file the CLI merges into it), never from
 * brain.toml. This module names them, reads them, and tells the logger where they could appear.
 */

/** Every secret the fund reads, by environment variable name. */
export const SECRET_ENV_KEYS = [
  'KRAKEN_API_KEY',
  'KRAKEN_API_SECRET',
  'ANTHROPIC_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_CHAT_ID',
  'BRAIN_API_TOKEN',
] as const;

export type SecretEnvKey = (typeof SECRET_ENV_KEYS)[number];

/** The secrets, each undefined when unset or blank. Lives at `config.secrets`. */
export interface Secrets {
  readonly krakenApiKey: string | undefined;
  readonly krakenApiSecret: string | undefined;
  readonly anthropicApiKey: string | undefined;
  readonly telegramBotToken: string | undefined;
  readonly telegramChatId: string | undefined;
  readonly brainApiToken: string | undefined;
}

/** Field of `Secrets` holding each environment variable. */
export const SECRET_FIELDS: Readonly<Record<SecretEnvKey, keyof Secrets>> = {
  KRAKEN_API_KEY: 'krakenApiKey',
  KRAKEN_API_SECRET: 'krakenApiSecret',
  ANTHROPIC_API_KEY: 'anthropicApiKey',
  TELEGRAM_BOT_TOKEN: 'telegramBotToken',
  TELEGRAM_CHAT_ID: 'telegramChatId',
  BRAIN_API_TOKEN: 'brainApiToken',
};

/**
 * Reads the secrets from an environment map. Surrounding whitespace (a common copy-paste slip in
 * `.env` files) is removed; an empty value counts as unset. Pure.
 */
export function readSecrets(env: Readonly<Record<string, string | undefined>>): Secrets {
  const read = (name: SecretEnvKey): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    krakenApiKey: read('KRAKEN_API_KEY'),
    krakenApiSecret: read('KRAKEN_API_SECRET'),
    anthropicApiKey: read('ANTHROPIC_API_KEY'),
    telegramBotToken: read('TELEGRAM_BOT_TOKEN'),
    telegramChatId: read('TELEGRAM_CHAT_ID'),
    brainApiToken: read('BRAIN_API_TOKEN'),
  };
}

/** The secret values that are set (for value-based scrubbing of logs and messages). */
export function secretValues(secrets: Secrets): string[] {
  return Object.values(secrets).filter((v): v is string => v !== undefined);
}

/**
 * pino redaction paths for every place a secret can sit in a logged object: the whole `secrets`
 * object (config.secrets is also non-enumerable, so logging a config leaves it out anyway), its
 * fields, and raw environment maps. pino's `*` matches one level only, so depths are explicit.
 */
export const redactionPaths: readonly string[] = Object.freeze([
  'secrets',
  '*.secrets',
  '*.*.secrets',
  ...Object.values(SECRET_FIELDS).flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...SECRET_ENV_KEYS.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
]);

/** Key names that hold a secret when someone writes them into brain.toml anyway. */
const SECRET_KEY_NAME = /(^|_)(api_?key|api_?secret|secret(_?key)?|private_?key|(bot_|api_|auth_|access_)?token|password|passphrase|chat_?id)$/;

/** True when a brain.toml key name looks like a secret (`api_key`, `bot_token`, `KRAKEN_API_SECRET`...). */
export function looksLikeSecretKey(name: string): boolean {
  return SECRET_KEY_NAME.test(name.toLowerCase());
}

/**
 * The environment variable a secret-looking key most likely meant, from its name and the table it
 * sits in (`[kraken] api_secret` → KRAKEN_API_SECRET).
 */
export function envVarForSecretKey(tablePath: readonly (string | number)[], name: string): SecretEnvKey | undefined {
  const upper = name.toUpperCase();
  if ((SECRET_ENV_KEYS as readonly string[]).includes(upper)) return upper as SecretEnvKey;
  const where = [...tablePath.map(String), name].join('.').toLowerCase();
  if (where.includes('kraken')) return /secret|private/.test(name.toLowerCase()) ? 'KRAKEN_API_SECRET' : 'KRAKEN_API_KEY';
  if (where.includes('telegram')) return /chat/.test(name.toLowerCase()) ? 'TELEGRAM_CHAT_ID' : 'TELEGRAM_BOT_TOKEN';
  if (where.includes('anthropic') || where.startsWith('ai')) return 'ANTHROPIC_API_KEY';
  if (where.startsWith('api') || where.includes('brain')) return 'BRAIN_API_TOKEN';
  return undefined;
}
