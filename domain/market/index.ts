export * from './candle.ts';
