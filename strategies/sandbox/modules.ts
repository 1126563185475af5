/**
 * The module names a strategy may import inside the sandbox. The engine's module loader serves
 * exactly these and rejects every other specifier; the static check uses the same list.
 */

/** Our indicators and candle helpers, bundled from `strategies/toolkit`. */
export const TOOLKIT_MODULE = 'trading-brain/toolkit';

/** The contract's constants (ACTIONS, INTENTS, ORDER_TYPES, caps); its types are erased with TypeScript. */
export const CONTRACT_MODULE = 'trading-brain/contract';

/** Every specifier a strategy may import. */
export const ALLOWED_IMPORTS: readonly string[] = Object.freeze([TOOLKIT_MODULE, CONTRACT_MODULE]);

/** The file name strategy code is evaluated under (it appears in stack traces: `strategy.js:12:5`). */
export const STRATEGY_FILENAME = 'strategy.js';

/** The one-line reason for a refused import. Pure. */
export function importRefusal(specifier: string): string {
  return `import ${JSON.stringify(specifier)} is not allowed in the sandbox; allowed: ${ALLOWED_IMPORTS.map((s) => `'${s}'`).join(', ')} (Node modules, files and network do not exist there)`;
}
