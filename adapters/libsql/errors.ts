/**
 * Errors thrown by the store. They signal programmer error, misconfiguration or corrupt data;
 * expected outcomes (a busy slot, an existing backup file) are returned as values instead.
 */

/** A store invariant was broken: corrupt row, wrong value type, misuse of the API. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** The database's schema version is not one this code can use (newer, or a bad target). */
export class SchemaVersionError extends StoreError {
  override readonly name: string = 'SchemaVersionError';
}
