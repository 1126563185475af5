import { z } from 'zod';
import { ai } from './sections/ai.ts';
import { api } from './sections/api.ts';
import { data } from './sections/data.ts';
import { database, general } from './sections/general.ts';
import { fees, kraken, markets } from './sections/kraken.ts';
import { orchestrator } from './sections/orchestrator.ts';
import { risk } from './sections/risk.ts';
import { sandbox } from './sections/sandbox.ts';
import { telegram } from './sections/telegram.ts';

/**
 * The whole of brain.toml: strict at every level (unknown keys are errors), every key with a
 * documented default. The order here is the order of the shipped brain.toml.
 */
export const BrainTomlSchema = z.strictObject({
  general,
  database,
  markets,
  kraken,
  fees,
  risk,
  ai,
  orchestrator,
  telegram,
  api,
  data,
  sandbox,
});

/** brain.toml after validation, with TOML's snake_case keys. */
export type BrainToml = z.output<typeof BrainTomlSchema>;

/** The defaults of every key, snake_case (what an empty brain.toml means). Fresh object per call. */
export function defaultToml(): BrainToml {
  return BrainTomlSchema.parse({});
}
