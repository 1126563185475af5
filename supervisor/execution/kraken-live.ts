/**
 * Wiring of the live Kraken venue from the validated configuration: the signed REST client (base
 * URL `kraken.rest_url`, call-counter model of `kraken.tier`, nonces persisted in `system_meta`),
 * the domain client, the private WebSocket executions feed (`kraken.ws_auth_url`, a fresh token per
 * connection) and the venue over both. The caller starts the feed (`start()`) and stops it on
 * shutdown; stopping it cancels no order.
 */
import type { SystemMetaRepo } from '../../adapters/libsql/index.ts';
import {
  type KrakenClient,
  type KrakenRestClient,
  type KrakenVenue,
  type KrakenWsClient,
  type Runtime,
  createKrakenClient,
  createKrakenRestClient,
  createKrakenVenue,
  createKrakenWsClient,
  nonceStoreFrom,
  systemRuntime,
} from '../../adapters/kraken/index.ts';
import type { KrakenConfig } from '../config/index.ts';

/** What `createKrakenLive` needs. */
export interface KrakenLiveInput {
  /** `[kraken]` of brain.toml (camelCased): `restUrl`, `wsAuthUrl`, `tier`. */
  readonly kraken: Pick<KrakenConfig, 'restUrl' | 'wsAuthUrl' | 'tier'>;
  /** From the environment (config.secrets). */
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Persists the nonce high-water mark (repos.systemMeta). */
  readonly systemMeta: Pick<SystemMetaRepo, 'nextNonce'>;
  /** Clock, timers and randomness (default the system runtime). */
  readonly runtime?: Runtime;
}

/** The live Kraken stack. */
export interface KrakenLive {
  readonly rest: KrakenRestClient;
  readonly client: KrakenClient;
  /** The private executions feed, subscribed but not started. */
  readonly ws: KrakenWsClient;
  readonly venue: KrakenVenue;
}

/** Builds the live stack; throws (from the REST client) on an invalid URL or a secret that is not base64. */
export function createKrakenLive(input: KrakenLiveInput): KrakenLive {
  const runtime = input.runtime ?? systemRuntime;
  const rest = createKrakenRestClient({
    restUrl: input.kraken.restUrl,
    credentials: { apiKey: input.apiKey, apiSecret: input.apiSecret },
    nonceStore: nonceStoreFrom(input.systemMeta, () => runtime.now()),
    tier: input.kraken.tier,
    runtime,
  });
  const client = createKrakenClient({ rest, runtime });
  const ws = createKrakenWsClient({ url: input.kraken.wsAuthUrl, getToken: (signal) => rest.getWebSocketsToken(signal), runtime });
  ws.subscribeExecutions({ snapOrders: true, snapTrades: false });
  const venue = createKrakenVenue(client, ws, { runtime });
  return { rest, client, ws, venue };
}
