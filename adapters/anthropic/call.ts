/**
 * One structured advisor call, end to end: client → deadline → prompt → budget check →
 * `messages.parse` with a zod output format → stop reason → validation → record. Every outcome
 * is a value; only bugs on our side (not SDK errors) are thrown.
 *
 * The output format is the SDK's `zodOutputFormat(schema)` (the JSON schema goes to the API as
 * `output_config.format`) with its throwing `parse` replaced by `parseAdvice`, which returns a
 * result: the SDK's `parse` would throw away the raw text and the usage of an invalid answer,
 * and an invalid answer must be recorded with both.
 */
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { AutoParseableOutputFormat } from '@anthropic-ai/sdk/lib/parser';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { type AdviceParse, type ModelPrice, type TokenUsage, ZERO_USAGE, costUsd, parseAdvice } from '../../domain/advice/index.ts';
import { ZERO } from '../../domain/money/index.ts';
import type {
  AdvisorCallOptions,
  AdvisorError,
  AdvisorPurpose,
  AdvisorResult,
  BudgetLedger,
  CallRecord,
  DataBlock,
} from '../../domain/ports/index.ts';
import { Reservations, estimateCallTokens } from './budget.ts';
import { type AbortCause, classifySdkError } from './errors.ts';
import { renderPrompt } from './prompts/render.ts';
import type { SystemPrompt } from './prompts/system.ts';
import type { ClientResult, MessagesClient } from './provider.ts';

/** Longest delay one timer can hold (setTimeout fires at once above 2^31 − 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What one call needs besides its data. */
export interface CallSpec<T> {
  readonly purpose: AdvisorPurpose;
  readonly defaultStep: string;
  readonly model: string;
  readonly maxOutputTokens: number;
  readonly system: SystemPrompt;
  readonly schema: z.ZodType<T>;
  readonly blocks: readonly DataBlock[];
  /** Checks against the call's own input (slots that exist, graded ids…); null when it holds. */
  readonly check?: (value: T) => string | null;
  /** Normalises a valid value (e.g. unwraps a fenced source); the raw text stays in the record. */
  readonly finish?: (value: T) => T;
}

/** Shared state of one advisor instance. */
export interface CallContext {
  readonly client: () => Promise<ClientResult>;
  readonly ledger: BudgetLedger;
  readonly reservations: Reservations;
  readonly dailyTokenLimit: number;
  readonly requestTimeoutMs: number;
  readonly attempts: number;
  readonly prices: ReadonlyMap<string, ModelPrice>;
  readonly secrets: readonly string[];
  readonly now: () => number;
}

interface ParsedFormat<T> {
  readonly format: AutoParseableOutputFormat<AdviceParse<T>>;
  readonly schemaChars: number;
}

const formats = new WeakMap<z.ZodType, ParsedFormat<unknown>>();

/** The output format for `schema` (built once per schema). */
export function outputFormat<T>(schema: z.ZodType<T>): ParsedFormat<T> {
  let f = formats.get(schema) as ParsedFormat<T> | undefined;
  if (f === undefined) {
    const base = zodOutputFormat(schema as z.ZodType);
    const format: AutoParseableOutputFormat<AdviceParse<T>> = { type: base.type, schema: base.schema, parse: (text: string) => parseAdvice(schema, text) };
    f = { format, schemaChars: JSON.stringify(base.schema).length };
    formats.set(schema, f as ParsedFormat<unknown>);
  }
  return f;
}

/** Usage from the API's `usage` object, with absent counts as 0 and impossible parts clamped to their totals. */
export function usageFromMessage(u: Message['usage'] | undefined): TokenUsage {
  if (u === undefined || u === null) return ZERO_USAGE;
  const n = (v: number | null | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : 0);
  const cacheWriteTokens = n(u.cache_creation_input_tokens);
  const outputTokens = n(u.output_tokens);
  return {
    inputTokens: n(u.input_tokens),
    outputTokens,
    cacheReadTokens: n(u.cache_read_input_tokens),
    cacheWriteTokens,
    cacheWrite1hTokens: Math.min(cacheWriteTokens, n(u.cache_creation?.ephemeral_1h_input_tokens)),
    thinkingTokens: Math.min(outputTokens, n(u.output_tokens_details?.thinking_tokens)),
  };
}

/** Why a response with this stop reason is unusable, or null when its text should be parsed. */
export function stopReasonProblem(stop: string | null, maxOutputTokens: number): { readonly kind: 'invalidResponse' | 'refused'; readonly reason: string } | null {
  switch (stop) {
    case 'end_turn':
    case 'stop_sequence':
      return null;
    case 'max_tokens':
      return { kind: 'invalidResponse', reason: `truncated: the answer hit the output cap of ${maxOutputTokens} tokens (stop_reason max_tokens); raise the cap rather than read a partial answer` };
    case 'model_context_window_exceeded':
      return { kind: 'invalidResponse', reason: 'truncated: the model\'s context window was exhausted (stop_reason model_context_window_exceeded)' };
    case 'refusal':
      return { kind: 'refused', reason: 'the model declined to answer (stop_reason refusal)' };
    default:
      return { kind: 'invalidResponse', reason: `unexpected stop_reason ${JSON.stringify(stop)} for a structured answer` };
  }
}

/** Runs one structured call (see the module comment). */
export async function runCall<T>(ctx: CallContext, spec: CallSpec<T>, options: AdvisorCallOptions = {}): Promise<AdvisorResult<T>> {
  const available = await ctx.client();
  if (!available.ok) return { ok: false, error: { kind: 'unavailable', reason: available.reason } };
  const startedAtMs = ctx.now();
  const { deadlineMs, signal } = options;
  if (deadlineMs !== undefined && deadlineMs <= startedAtMs) {
    return { ok: false, error: { kind: 'timeout', reason: `the call's deadline (${new Date(deadlineMs).toISOString()}) had passed before it started` } };
  }
  if (signal?.aborted) return { ok: false, error: { kind: 'timeout', reason: 'aborted by the caller before it started' } };

  const prompt = renderPrompt(spec.system, spec.blocks, ctx.secrets);
  const { format, schemaChars } = outputFormat(spec.schema);
  const estimate = estimateCallTokens(prompt.chars, schemaChars, spec.maxOutputTokens);
  const used = ctx.ledger.tokensUsedOn(startedAtMs) + ctx.reservations.total();
  if (used + estimate > ctx.dailyTokenLimit) {
    return {
      ok: false,
      error: {
        kind: 'budgetExhausted',
        reason: `daily token budget: ${used} of ${ctx.dailyTokenLimit} tokens used or reserved today; this call needs up to ${estimate} (prompt estimate + output cap ${spec.maxOutputTokens})`,
      },
    };
  }

  const step = options.step ?? spec.defaultStep;
  const promptSummary = [
    `${spec.purpose} → ${spec.model}`,
    `system ${spec.system.id} (${spec.system.text.length} chars)`,
    `data: ${prompt.outline.join('; ') || 'none'}`,
    `max_tokens ${spec.maxOutputTokens}, estimate ≤ ${estimate} tokens`,
    ...(prompt.redactions > 0 ? [`${prompt.redactions} secret occurrence(s) redacted`] : []),
  ].join(' | ');
  const price = ctx.prices.get(spec.model)!;
  const record = (fields: Partial<CallRecord<T>> & Pick<CallRecord<T>, 'outcome'>): CallRecord<T> => ({
    model: spec.model,
    purpose: spec.purpose,
    step,
    cycleId: options.cycleId ?? null,
    promptSummary,
    responseText: '',
    thinkingText: '',
    parsed: null,
    stopReason: null,
    usage: ZERO_USAGE,
    costUsd: ZERO,
    startedAtMs,
    durationMs: ctx.now() - startedAtMs,
    messageId: null,
    redactions: prompt.redactions,
    ...fields,
  });

  const controller = new AbortController();
  let abort: AbortCause = null;
  const onCallerAbort = () => {
    abort ??= 'caller';
    controller.abort();
  };
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          abort ??= 'deadline';
          controller.abort();
        }, Math.min(deadlineMs - startedAtMs, MAX_TIMER_MS));
  const reservation = ctx.reservations.reserve(estimate);

  let message: Awaited<ReturnType<typeof sendParse<T>>>;
  try {
    message = await sendParse(available.client, spec, prompt, format, controller.signal);
  } catch (err) {
    const error = classifySdkError(err, { abort, attempts: ctx.attempts, requestTimeoutMs: ctx.requestTimeoutMs, ...(deadlineMs === undefined ? {} : { deadlineMs }) });
    if (error === null) throw err;
    return { ok: false, error, call: record({ outcome: error.kind }) };
  } finally {
    ctx.reservations.release(reservation);
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }

  const texts = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : []));
  const responseText = texts.join('');
  const thinkingText = message.content.flatMap((b) => (b.type === 'thinking' ? [b.thinking] : [])).join('\n');
  const usage = usageFromMessage(message.usage);
  const base = { responseText, thinkingText, stopReason: message.stop_reason, usage, costUsd: costUsd(usage, price), messageId: message.id ?? null };
  const finishWith = (result: AdvisorResult<T>): AdvisorResult<T> => {
    if (result.call !== undefined) ctx.ledger.record(result.call, ctx.now());
    return result;
  };
  const fail = (error: AdvisorError): AdvisorResult<T> => finishWith({ ok: false, error, call: record({ ...base, outcome: error.kind }) });

  const stopProblem = stopReasonProblem(message.stop_reason, spec.maxOutputTokens);
  if (stopProblem !== null) {
    const explanation = message.stop_details?.explanation;
    const reason = stopProblem.kind === 'refused' && explanation ? `${stopProblem.reason}: ${explanation}` : stopProblem.reason;
    return fail({ kind: stopProblem.kind, reason, rawText: responseText });
  }
  if (texts.length === 0) return fail({ kind: 'invalidResponse', reason: 'the response has no text block', rawText: '' });
  const parsed: AdviceParse<T> = texts.length === 1 && message.parsed_output !== null ? message.parsed_output : parseAdvice(spec.schema, responseText);
  if (!parsed.ok) return fail({ kind: 'invalidResponse', reason: parsed.reason, rawText: responseText });
  const problem = spec.check?.(parsed.value) ?? null;
  if (problem !== null) return fail({ kind: 'invalidResponse', reason: problem, rawText: responseText });
  const value = spec.finish ? spec.finish(parsed.value) : parsed.value;
  return finishWith({ ok: true, value, call: record({ ...base, parsed: value, outcome: 'ok' }) });
}

/** Sends the request through the SDK's `messages.parse` (which applies `format.parse` to each text block). */
function sendParse<T>(
  client: MessagesClient,
  spec: CallSpec<T>,
  prompt: ReturnType<typeof renderPrompt>,
  format: AutoParseableOutputFormat<AdviceParse<T>>,
  signal: AbortSignal,
) {
  return client.messages.parse(
    {
      model: spec.model,
      max_tokens: spec.maxOutputTokens,
      system: prompt.system.map((b) => ({ ...b })),
      messages: [{ role: 'user', content: prompt.user.map((b) => ({ ...b })) }],
      output_config: { format },
    },
    { signal },
  );
}
