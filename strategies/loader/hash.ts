import { createHash } from 'node:crypto';

/** SHA-256 of `source` as UTF-8, 64 lower-case hex characters. Pure. */
export function codeHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}
