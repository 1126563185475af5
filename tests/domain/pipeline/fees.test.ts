/** Fees by 30-day volume tier (reference/kraken.md §9). */
import { describe, expect, it } from 'vitest';
import { fromString, toString } from '../../../domain/money/index.ts';
import {
  EMPTY_FEE_VOLUME,
  FEE_VOLUME_WINDOW_MS,
  KRAKEN_PRO_FEE_SCHEDULE,
  addFeeVolume,
  feeRatesFor,
  feeScheduleProblem,
  feeVolumeFills,
  feeVolumeOf,
  flatFeeSchedule,
  rollFeeVolume,
} from '../../../domain/pipeline/index.ts';
import { T0, decide, flat, fresh, makeConfig, ofType, step } from './support.ts';

const rates = (volume: string) => {
  const r = feeRatesFor(KRAKEN_PRO_FEE_SCHEDULE, fromString(volume));
  return [toString(r.makerPct), toString(r.takerPct)];
};

describe('fee tiers', () => {
  it('picks the highest tier at or below the 30-day volume (Kraken Pro, 2025–2026)', () => {
    expect(rates('0')).toEqual(['0.25', '0.4']);
    expect(rates('9999.99')).toEqual(['0.25', '0.4']);
    expect(rates('10000')).toEqual(['0.2', '0.35']);
    expect(rates('50000')).toEqual(['0.14', '0.24']);
    expect(rates('10000000')).toEqual(['0', '0.1']);
    expect(rates('600000000')).toEqual(['0', '0.05']);
  });

  it('keeps the fills of the last 30 days only', () => {
    let v = addFeeVolume(EMPTY_FEE_VOLUME, T0, fromString('6000'));
    v = addFeeVolume(v, T0 + 86_400_000, fromString('5000'));
    expect(toString(v.total)).toBe('11000');
    expect(rollFeeVolume(v, T0 + FEE_VOLUME_WINDOW_MS - 1)).toBe(v);
    const rolled = rollFeeVolume(v, T0 + FEE_VOLUME_WINDOW_MS);
    expect([toString(rolled.total), feeVolumeFills(rolled)]).toEqual(['5000', [{ tsMs: T0 + 86_400_000, notional: fromString('5000') }]]);
  });

  it('is persistent: adding to an older value never changes a newer one, or the other way round', () => {
    const a = addFeeVolume(EMPTY_FEE_VOLUME, T0, fromString('1'));
    const b = addFeeVolume(a, T0 + 1, fromString('2')); // shares a's array
    const c = addFeeVolume(a, T0 + 2, fromString('4')); // a's array is extended by b: c copies
    expect(feeVolumeFills(a).map((f) => toString(f.notional))).toEqual(['1']);
    expect(feeVolumeFills(b).map((f) => toString(f.notional))).toEqual(['1', '2']);
    expect(feeVolumeFills(c).map((f) => toString(f.notional))).toEqual(['1', '4']);
    expect([toString(b.total), toString(c.total)]).toEqual(['3', '5']);
    let many = EMPTY_FEE_VOLUME;
    for (let k = 0; k < 3000; k++) many = addFeeVolume(rollFeeVolume(many, T0 + k * 3_600_000), T0 + k * 3_600_000, fromString('1'));
    expect([feeVolumeFills(many).length, toString(many.total)]).toEqual([720, '720']); // 30 days of hourly fills
    expect(feeVolumeOf(feeVolumeFills(many)).total).toBe(many.total);
  });

  it('rejects schedules that do not start at 0, do not rise, or leave 0..100 %', () => {
    expect(feeScheduleProblem(KRAKEN_PRO_FEE_SCHEDULE)).toBeNull();
    expect(feeScheduleProblem([])).toContain('at least one tier');
    const t = (v: string, m: string) => ({ minVolume: fromString(v), makerPct: fromString(m), takerPct: fromString(m) });
    expect(feeScheduleProblem([t('1', '0.1')])).toContain('must start at volume 0');
    expect(feeScheduleProblem([t('0', '0.1'), t('0', '0.1')])).toContain('rise strictly');
    expect(feeScheduleProblem([t('0', '101')])).toContain('within 0..100');
  });

  it('the pipeline charges the tier of the volume traded before each fill', () => {
    const config = makeConfig({ fees: KRAKEN_PRO_FEE_SCHEDULE }, { maxPositionPct: 1, maxTradePct: 1 });
    let s = step(fresh(config, '100000'), config, T0, flat(T0, 100)).state;
    // 0.09 × 100000 = 9000 of volume at the $0 tier (taker 0.40 %), then 0.02 × equity (≈ 2 000) more:
    // still below 10000 when it fills, so 0.40 %; the third fill comes after 10000 was passed: 0.35 %.
    const fees = [];
    for (const size of [0.09, 0.02, 0.02]) {
      const r = decide(s, config, [{ action: 'BUY', symbol: 'BTC/USD', size }]);
      const [fill] = ofType(r.events, 'order.filled');
      fees.push(toString(fill!.fill.feeRatePct));
      s = r.state;
    }
    expect(fees).toEqual(['0.4', '0.4', '0.35']);
    expect(flatFeeSchedule({ makerPct: fromString('0.1'), takerPct: fromString('0.2') })).toHaveLength(1);
  });
});
