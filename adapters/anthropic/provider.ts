/**
 * The provider switch behind the advisor: the Anthropic API (`@anthropic-ai/sdk`, installed) or
 * Google Vertex AI (`@anthropic-ai/vertex-sdk`, optional: loaded on first use). Both expose the
 * same `messages.parse`. A missing Vertex SDK is a value (`unavailable`), not a crash.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ClaudeAdvisorOptions } from './options.ts';

/** The part of an SDK client the advisor uses. */
export interface MessagesClient {
  readonly messages: { readonly parse: Anthropic['messages']['parse'] };
}

/** A client, or why none is available. */
export type ClientResult = { readonly ok: true; readonly client: MessagesClient } | { readonly ok: false; readonly reason: string };

/** The npm package the Vertex provider needs. */
export const VERTEX_SDK = '@anthropic-ai/vertex-sdk';

/** The reason given while the Vertex SDK is not installed. */
export const VERTEX_NOT_INSTALLED = `provider "vertex" needs ${VERTEX_SDK}, which is not installed: npm install ${VERTEX_SDK}`;

/**
 * Creates the Anthropic API client: key passed explicitly (so the SDK reads no other credential
 * from the environment or profile files), explicit base URL, timeout and retries.
 */
export function createAnthropicClient(o: ClaudeAdvisorOptions): Anthropic {
  return new Anthropic({
    apiKey: o.apiKey ?? null,
    baseURL: o.baseURL ?? 'https://api.anthropic.com',
    timeout: o.requestTimeoutMs,
    maxRetries: o.maxRetries ?? 2,
    logLevel: 'off',
  });
}

async function importVertex(): Promise<unknown> {
  const name: string = VERTEX_SDK;
  return import(name);
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Creates the Vertex AI client, or explains why it cannot. */
export async function createVertexClient(o: ClaudeAdvisorOptions): Promise<ClientResult> {
  let mod: unknown;
  try {
    mod = await (o.loadVertexSdk ?? importVertex)();
  } catch (err) {
    if (isModuleNotFound(err)) return { ok: false, reason: VERTEX_NOT_INSTALLED };
    return { ok: false, reason: `${VERTEX_SDK} failed to load: ${(err as Error).message}` };
  }
  const Ctor = (mod as { AnthropicVertex?: unknown; default?: unknown }).AnthropicVertex ?? (mod as { default?: unknown }).default;
  if (typeof Ctor !== 'function') return { ok: false, reason: `${VERTEX_SDK} does not export AnthropicVertex` };
  const v = o.vertex!;
  try {
    const client = new (Ctor as new (opts: Record<string, unknown>) => MessagesClient)({
      projectId: v.projectId,
      region: v.region,
      ...(v.baseURL === undefined ? {} : { baseURL: v.baseURL }),
      timeout: o.requestTimeoutMs,
      maxRetries: o.maxRetries ?? 2,
    });
    return { ok: true, client };
  } catch (err) {
    return { ok: false, reason: `${VERTEX_SDK}: could not create the client: ${(err as Error).message}` };
  }
}

/** The client for `o.provider`, created once and shared by every call. */
export function clientLoader(o: ClaudeAdvisorOptions): () => Promise<ClientResult> {
  let pending: Promise<ClientResult> | null = null;
  return () => {
    pending ??= o.provider === 'vertex' ? createVertexClient(o) : Promise.resolve({ ok: true, client: createAnthropicClient(o) });
    return pending;
  };
}
