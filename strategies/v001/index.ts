/**
 * Where the seed strategy's source lives, for loaders and tests. The strategy itself
 * (`strategy.ts`) is a self-contained module with no imports, so it runs unchanged in-process
 * and inside the sandbox.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of v001's source module. */
export const V001_SOURCE_PATH: string = fileURLToPath(new URL('./strategy.ts', import.meta.url));

/** The version name v001 is recorded under. */
export const V001_VERSION = 'v001';
