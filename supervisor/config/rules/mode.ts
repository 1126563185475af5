import { isLoopbackHost } from '../fields.ts';
import type { ConfigRule } from './rule.ts';

const TLS_ENDPOINTS = [
  ['kraken.rest_url', 'restUrl', 'http:'],
  ['kraken.ws_url', 'wsUrl', 'ws:'],
  ['kraken.ws_auth_url', 'wsAuthUrl', 'ws:'],
] as const;

/** What live mode needs. */
export const modeRules: readonly ConfigRule[] = [
  {
    name: 'live_needs_kraken_keys',
    severity: 'error',
    reads: ['general.mode'],
    check: ({ general, secrets }) => {
      if (general.mode !== 'live') return [];
      return (
        [
          ['env.KRAKEN_API_KEY', secrets.krakenApiKey],
          ['env.KRAKEN_API_SECRET', secrets.krakenApiSecret],
        ] as const
      )
        .filter(([, value]) => value === undefined)
        .map(([key]) => ({
          key,
          value: undefined,
          message: 'is not set but general.mode = "live"',
          allowed: 'your Kraken API credentials in the environment or .env (or general.mode = "paper")',
        }));
    },
  },
  {
    name: 'live_needs_tls',
    severity: 'error',
    reads: ['general.mode', 'kraken.rest_url', 'kraken.ws_url', 'kraken.ws_auth_url'],
    check: ({ general, kraken }) => {
      if (general.mode !== 'live') return [];
      return TLS_ENDPOINTS.flatMap(([key, field, plain]) => {
        const url = new URL(kraken[field]);
        if (url.protocol !== plain || isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))) return [];
        return [
          {
            key,
            value: kraken[field],
            message: 'is unencrypted in live mode: signed requests and tokens would cross the network in clear',
            allowed: `${plain === 'http:' ? 'https' : 'wss'}:// (plain ${plain.replace(':', '')}:// only to a loopback address)`,
          },
        ];
      });
    },
  },
];
