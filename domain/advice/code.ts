/**
 * CODE GENERATION and CODE REVIEW outputs (predecessor §10.5, §10.6): a module's full source with
 * what it does and the parameters it declares; a reviewer's verdict with the issues behind it.
 * Pure zod schemas plus `unwrapCodeFence`.
 */
import { z } from 'zod';
import { boundedText, hasText, optionalText } from './text.ts';

/** Longest module source accepted (characters). */
export const MAX_SOURCE_CHARS = 200_000;
/** Most declared parameters. */
export const MAX_PARAMETERS = 50;
/** A parameter name: an identifier. */
export const PARAMETER_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const parameterSchema = z.strictObject({
  name: z.string().regex(PARAMETER_NAME_RE).describe('Identifier of the constant in the source.'),
  value: z.union([z.number(), z.string(), z.boolean()]).describe('Its value in this version.'),
  description: boundedText(0, 500, 'What it controls and its unit.'),
});

/** A tunable constant the module declares (its name in the source and its value). */
export type DeclaredParameter = z.infer<typeof parameterSchema>;

/** Generated module: full source, what it does, what changed, and its declared parameters. */
export const generatedCodeSchema = z
  .strictObject({
    source: boundedText(1, MAX_SOURCE_CHARS, 'The complete module source (an ES module), without Markdown fences.'),
    description: boundedText(1, 2000, 'What the module does, in a few sentences.'),
    changeSummary: boundedText(0, 5000, 'What changed from the current version and why.'),
    parameters: z.array(parameterSchema).max(MAX_PARAMETERS).describe('Tunable constants declared at the top of the module.'),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.parameters.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['parameters', i, 'name'], message: `duplicate parameter name ${JSON.stringify(p.name)}` });
      seen.add(p.name);
    });
  });

/** A validated generated module. */
export type GeneratedCode = z.infer<typeof generatedCodeSchema>;

/** Review verdicts. */
export const CODE_REVIEW_VERDICTS = ['approve', 'reject'] as const;
export type CodeReviewVerdict = (typeof CODE_REVIEW_VERDICTS)[number];
/** Issue severities; a `blocker` forbids approval. */
export const ISSUE_SEVERITIES = ['blocker', 'major', 'minor'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

const reviewIssueSchema = z.strictObject({
  severity: z.enum(ISSUE_SEVERITIES).describe('blocker: must be fixed before use; major: should be fixed; minor: note.'),
  location: optionalText(200, 'Function or line the issue is about, or null.'),
  problem: boundedText(1, 2000, 'What is wrong.'),
  fix: boundedText(0, 2000, 'How to fix it.'),
});

/** One problem a reviewer found. */
export type ReviewIssue = z.infer<typeof reviewIssueSchema>;

/**
 * Code review: approve or reject, a summary, the issues, and (for a rejection) instructions for
 * the next attempt. Rules: an approval lists no blocker; a rejection says why (an issue or
 * instructions).
 */
export const codeReviewSchema = z
  .strictObject({
    verdict: z.enum(CODE_REVIEW_VERDICTS).describe('approve only if the code is correct, safe and does what was asked.'),
    summary: boundedText(1, 5000, 'The review in a few sentences.'),
    issues: z.array(reviewIssueSchema).max(50).describe('Every problem found, most severe first.'),
    revisionInstructions: optionalText(10_000, 'For reject: what the next attempt must change. For approve: null.'),
  })
  .superRefine((r, ctx) => {
    if (r.verdict === 'approve') {
      const i = r.issues.findIndex((x) => x.severity === 'blocker');
      if (i >= 0) ctx.addIssue({ code: 'custom', path: ['issues', i, 'severity'], message: 'a blocker issue contradicts verdict approve' });
    } else if (r.issues.length === 0 && !hasText(r.revisionInstructions)) {
      ctx.addIssue({ code: 'custom', path: ['revisionInstructions'], message: 'a rejection needs at least one issue or revision instructions' });
    }
  });

/** A validated code review. */
export type CodeReview = z.infer<typeof codeReviewSchema>;

const FENCED = /^\s*```[A-Za-z0-9_+-]*[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*```\s*$/;

/**
 * Unwraps a source that is entirely one Markdown code fence (```ts … ```); returns any other text
 * unchanged. Pure. (Models sometimes fence code even inside JSON; the predecessor stripped them.)
 */
export function unwrapCodeFence(source: string): string {
  const m = FENCED.exec(source);
  return m ? m[1]! : source;
}
