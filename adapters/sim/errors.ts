import type { VenueError, VenueErrorClass, VenueErrorKind } from '../../domain/ports/index.ts';

/**
 * The sim venue's errors. Every one is local (no venue strings); the class follows the kind:
 * `noPrice` is transient (a candle will come), everything else the sim refuses is permanent.
 */
const TRANSIENT: readonly VenueErrorKind[] = ['noPrice'];

/** Builds a `VenueError` for the sim. Pure. */
export function simError(kind: VenueErrorKind, message: string): VenueError {
  const cls: VenueErrorClass = TRANSIENT.includes(kind) ? 'transient' : 'permanent';
  return { kind, class: cls, message, venueCodes: [] };
}
