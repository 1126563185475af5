import { REDACTED } from '../problems.ts';
import { secretValue, type ConfigRule, type RuleFinding } from './rule.ts';

/** The format of secrets in the environment. */
export const envRules: readonly ConfigRule[] = [
  {
    name: 'kraken_secret_is_base64',
    severity: 'error',
    reads: [],
    check: ({ secrets }) => {
      const s = secrets.krakenApiSecret;
      if (s === undefined || (/^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 0)) return [];
      return [
        {
          key: 'env.KRAKEN_API_SECRET',
          value: secretValue(s),
          message: 'is not base64: Kraken private keys are base64 text (copy it whole, without spaces)',
          allowed: 'the base64 private key shown by Kraken when the API key was created',
        },
      ];
    },
  },
  {
    name: 'telegram_chat_id_format',
    severity: 'error',
    reads: [],
    check: ({ secrets }) => {
      const id = secrets.telegramChatId;
      if (id === undefined || /^-?\d{1,20}$/.test(id) || /^@[A-Za-z][A-Za-z0-9_]{4,31}$/.test(id)) return [];
      return [
        {
          key: 'env.TELEGRAM_CHAT_ID',
          value: secretValue(id),
          message: 'is neither a numeric chat id nor a @channel name',
          allowed: 'a chat id such as 123456789 or -1001234567890, or @channelname',
        },
      ];
    },
  },
  {
    name: 'predecessor_env_names',
    severity: 'warning',
    reads: ['api.enabled'],
    check: ({ api, secrets }, env) => {
      const isSet = (name: string) => (env[name]?.trim() ?? '') !== '';
      const findings: RuleFinding[] = [];
      if (isSet('KRAKEN_SECRET_KEY') && secrets.krakenApiSecret === undefined) {
        findings.push({
          key: 'env.KRAKEN_SECRET_KEY',
          value: REDACTED,
          message: "is the predecessor's name and is ignored",
          allowed: 'rename it to KRAKEN_API_SECRET',
        });
      }
      if (api.enabled && isSet('API_KEY') && secrets.brainApiToken === undefined) {
        findings.push({
          key: 'env.API_KEY',
          value: REDACTED,
          message: "is the predecessor's name for the data-API token and is ignored",
          allowed: 'rename it to BRAIN_API_TOKEN',
        });
      }
      return findings;
    },
  },
];
