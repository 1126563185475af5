/**
 * The strategy toolkit: what a strategy may import inside the sandbox, as
 * `import { Ema, closes } from 'trading-brain/toolkit'`. It is our own indicators
 * (`domain/indicators`: incremental classes and `…Series` batch functions, identical arithmetic)
 * plus candle helpers, bundled by esbuild into one ES module that the engine evaluates inside
 * QuickJS. Everything here must stay pure: no I/O, no clock, no Node APIs.
 */
export * from '../../domain/indicators/index.ts';
export { closes, crossedAbove, crossedBelow, highs, indexAfter, lastCandle, lows, opens, volumes } from './candles.ts';
