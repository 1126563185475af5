/**
 * Builds the request's prompt from a system prompt and data blocks:
 * - the system prompt comes first, as one block marked for the prompt cache;
 * - the user turn holds only data: every block wrapped as `<untrusted-data kind title>…</…>`, with
 *   any look-alike tag inside the content neutralised so data cannot close its wrapper;
 * - blocks are ordered from stable to volatile (reference, strategy document and code first,
 *   market data last) and a second cache breakpoint follows the stable part;
 * - every configured secret value is replaced by `[redacted]` before anything is sent.
 * Pure functions.
 */
import type { DataBlock, DataKind } from '../../../domain/ports/index.ts';
import { DATA_TAG, type SystemPrompt } from './system.ts';

/** Order of kinds in the user turn (lower first); the API caches prefixes, so stable material leads. */
export const KIND_RANK: Readonly<Record<DataKind, number>> = {
  reference: 0,
  strategyDocument: 1,
  strategyCode: 2,
  analysisCode: 3,
  groundTruth: 10,
  versions: 11,
  performance: 12,
  candidates: 13,
  predictions: 14,
  observations: 15,
  analysisOutput: 16,
  trades: 17,
  signals: 18,
  backtest: 19,
  diff: 20,
  review: 21,
  feedback: 22,
  changeRequest: 23,
  budget: 24,
  question: 25,
  marketData: 30,
};

/** Kinds up to this rank form the cacheable prefix of the user turn. */
export const STABLE_RANK = 3;

/** The replacement for a secret found in prompt text. */
export const REDACTED = '[redacted]';
/** Secret values shorter than this are not searched for (they would match ordinary text). */
export const MIN_SECRET_CHARS = 6;

/** A text block of the request (the SDK's `TextBlockParam` subset we send). */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
  readonly cache_control?: { readonly type: 'ephemeral' };
}

/** The prompt part of a Messages request, plus what the record needs. */
export interface RenderedPrompt {
  readonly system: readonly TextBlock[];
  readonly user: readonly TextBlock[];
  /** Characters sent (system + user), for the token estimate. */
  readonly chars: number;
  /** Secret occurrences replaced. */
  readonly redactions: number;
  /** One line per block: kind, title and size. */
  readonly outline: readonly string[];
}

const LOOKALIKE = new RegExp(`<([\\s/]*)(${DATA_TAG})`, 'gi');

/**
 * Neutralises anything that could read as the wrapper's tag inside content — `<` then any
 * whitespace or slashes then `untrusted-data`, any case — by writing the `<` as `&lt;`.
 */
export function neutralize(content: string): string {
  return content.replace(LOOKALIKE, '&lt;$1$2');
}

/** Escapes a title for the wrapper's attribute: one line, no quotes or angle brackets. */
export function escapeTitle(title: string): string {
  return title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\r\n\t]+/g, ' ');
}

/** Wraps one block's (already redacted) content as labelled data. */
export function wrapBlock(kind: DataKind, title: string, content: string): string {
  return `<${DATA_TAG} kind="${kind}" title="${escapeTitle(title)}">\n${neutralize(content)}\n</${DATA_TAG}>`;
}

/** Replaces every occurrence of every secret (≥ MIN_SECRET_CHARS) in `text`; returns the text and the count. */
export function redact(text: string, secrets: readonly string[]): { readonly text: string; readonly count: number } {
  let out = text;
  let count = 0;
  for (const s of secrets) {
    if (s.length < MIN_SECRET_CHARS) continue;
    const parts = out.split(s);
    if (parts.length > 1) {
      count += parts.length - 1;
      out = parts.join(REDACTED);
    }
  }
  return { text: out, count };
}

/** Blocks in prompt order: by kind rank, keeping the caller's order within a kind. */
export function orderBlocks(blocks: readonly DataBlock[]): DataBlock[] {
  return blocks
    .map((b, i) => ({ b, i }))
    .sort((x, y) => KIND_RANK[x.b.kind] - KIND_RANK[y.b.kind] || x.i - y.i)
    .map((x) => x.b);
}

/** Renders the system prompt and the data blocks into request blocks (see the module comment). */
export function renderPrompt(system: SystemPrompt, blocks: readonly DataBlock[], secrets: readonly string[]): RenderedPrompt {
  let redactions = 0;
  const clean = (t: string): string => {
    const r = redact(t, secrets);
    redactions += r.count;
    return r.text;
  };
  const ordered = orderBlocks(blocks).map((b) => ({ kind: b.kind, title: clean(b.title), content: clean(b.content) }));
  const texts = ordered.map((b) => wrapBlock(b.kind, b.title, b.content));
  if (texts.length === 0) texts.push(wrapBlock('reference', 'no data', '(no data was supplied)'));
  let lastStable = -1;
  ordered.forEach((b, i) => {
    if (KIND_RANK[b.kind] <= STABLE_RANK) lastStable = i;
  });
  const user: TextBlock[] = texts.map((text, i) => (i === lastStable && i < texts.length - 1 ? { type: 'text', text, cache_control: { type: 'ephemeral' } } : { type: 'text', text }));
  const systemText = clean(system.text);
  const outline = ordered.map((b) => `${b.kind} "${escapeTitle(b.title)}" ${b.content.length} chars`);
  return {
    system: [{ type: 'text', text: systemText, cache_control: { type: 'ephemeral' } }],
    user,
    chars: systemText.length + texts.reduce((n, t) => n + t.length, 0),
    redactions,
    outline,
  };
}
