/**
 * Freezes an object graph in place, including non-enumerable and symbol-keyed properties, and
 * returns it. Already-frozen nodes are not revisited (cycles are safe).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
