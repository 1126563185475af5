import { isLoopbackHost } from '../fields.ts';
import { REDACTED } from '../problems.ts';
import type { ConfigRule } from './rule.ts';

/** Telegram and the data API. */
export const surfaceRules: readonly ConfigRule[] = [
  {
    name: 'telegram_token_missing',
    severity: 'warning',
    reads: ['telegram.enabled'],
    check: ({ telegram, secrets }) =>
      telegram.enabled && secrets.telegramBotToken === undefined
        ? [
            {
              key: 'env.TELEGRAM_BOT_TOKEN',
              value: undefined,
              message: 'is not set: the Telegram bot stays off although telegram.enabled = true',
              allowed: 'a bot token from @BotFather in the environment, or telegram.enabled = false',
            },
          ]
        : [],
  },
  {
    name: 'telegram_chat_missing',
    severity: 'warning',
    reads: ['telegram.enabled'],
    check: ({ telegram, secrets }) =>
      telegram.enabled && secrets.telegramBotToken !== undefined && secrets.telegramChatId === undefined
        ? [
            {
              key: 'env.TELEGRAM_CHAT_ID',
              value: undefined,
              message: 'is not set: alerts have nowhere to go (commands still work)',
              allowed: 'the chat id that receives alerts, in the environment',
            },
          ]
        : [],
  },
  {
    name: 'telegram_has_operators',
    severity: 'warning',
    reads: ['telegram.enabled', 'telegram.allowed_user_ids'],
    check: ({ telegram, secrets }) =>
      telegram.enabled && secrets.telegramBotToken !== undefined && telegram.allowedUserIds.length === 0
        ? [
            {
              key: 'telegram.allowed_user_ids',
              value: [],
              message: 'is empty: nobody may issue commands to the bot',
              allowed: 'your Telegram user id(s), e.g. [123456789]',
            },
          ]
        : [],
  },
  {
    name: 'api_needs_token',
    severity: 'error',
    reads: ['api.enabled'],
    check: ({ api, secrets }) => {
      if (!api.enabled) return [];
      const token = secrets.brainApiToken;
      if (token === undefined) {
        return [
          {
            key: 'env.BRAIN_API_TOKEN',
            value: undefined,
            message: 'is not set but api.enabled = true: every request would be refused',
            allowed: 'a random token of at least 32 characters (e.g. openssl rand -hex 32)',
          },
        ];
      }
      if (token.length >= 32) return [];
      return [
        {
          key: 'env.BRAIN_API_TOKEN',
          value: REDACTED,
          message: `is only ${token.length} characters long`,
          allowed: 'a random token of at least 32 characters (e.g. openssl rand -hex 32)',
        },
      ];
    },
  },
  {
    name: 'api_on_loopback',
    severity: 'warning',
    reads: ['api.enabled', 'api.host'],
    check: ({ api }) =>
      api.enabled && !isLoopbackHost(api.host)
        ? [
            {
              key: 'api.host',
              value: api.host,
              message: 'is reachable from other machines: the bearer token crosses the network (use a TLS proxy)',
              allowed: '127.0.0.1 or ::1 to keep the API on this machine',
            },
          ]
        : [],
  },
];
