/** ASK output: the answer to an operator's question (`/ask`). Pure zod schema. */
import { z } from 'zod';
import { boundedText } from './text.ts';

/** The answer. */
export const askAnswerSchema = z.strictObject({
  answer: boundedText(1, 8000, 'The answer, plain text, concise; say when the data does not tell.'),
});

/** A validated answer. */
export type AskAnswer = z.infer<typeof askAnswerSchema>;
