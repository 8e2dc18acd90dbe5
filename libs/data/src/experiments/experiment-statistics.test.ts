import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import jStat from 'jstat';
import { differenceInterval, experimentStatistics, experimentWinner, twoProportionTest, wilsonInterval, zFor } from './experiment-statistics';

/**
 * Pearson's chi-squared test of the 2×2 table (converted / not, arm a / arm b), computed from the
 * observed and expected cells with jStat's chi-squared distribution: a different formula and a
 * different library from the z-test under test (they agree exactly without continuity correction).
 */
function chiSquaredPValue(a: { converted: number; entered: number }, b: { converted: number; entered: number }): number {
  const table = [
    [a.converted, a.entered - a.converted],
    [b.converted, b.entered - b.converted],
  ];
  const total = a.entered + b.entered;
  const columns = [table[0]![0]! + table[1]![0]!, table[0]![1]! + table[1]![1]!];
  const rows = [a.entered, b.entered];
  let statistic = 0;
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      const expected = (rows[r]! * columns[c]!) / total;
      statistic += (table[r]![c]! - expected) ** 2 / expected;
    }
  }
  return 1 - jStat.chisquare.cdf(statistic, 1);
}

describe('experiment statistics', () => {
  it('Wilson intervals match the published values (Newcombe 1998, Stat Med 17:857–872, Table I, method 3)', () => {
    // Newcombe's examples with their 95 % Wilson score intervals, to the 4 decimals printed.
    const published: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [converted, entered, lower, upper] of published) {
      const interval = wilsonInterval(converted, entered, 0.95)!;
      expect(interval.lower).toBeCloseTo(lower, 4);
      expect(interval.upper).toBeCloseTo(upper, 4);
    }
    expect(wilsonInterval(0, 20, 0.95)!.lower).toBe(0);
    expect(wilsonInterval(20, 20, 0.95)!.upper).toBe(1);
    expect(wilsonInterval(0, 0, 0.95)).toBeNull();
  });

  it('the z of an interval is the normal quantile, as jStat computes it too', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959963984540054, 12);
    for (const confidence of [0.8, 0.9, 0.95, 0.99, 0.999]) expect(zFor(confidence)).toBeCloseTo(jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1), 8);
  });

  it('the two-proportion z-test gives the p-value of the chi-squared test of the 2×2 table (independent formula and library)', () => {
    // A worked example: 250 of 1,000 against 200 of 1,000. Pooled 0.225, so
    // z² = 0.05² / (0.225 · 0.775 · 2/1000) = 0.0025 / 0.00034875 = 7.16846 = χ², p = 0.00742.
    const test = twoProportionTest({ converted: 250, entered: 1_000 }, { converted: 200, entered: 1_000 })!;
    expect(test.z ** 2).toBeCloseTo(0.0025 / 0.00034875, 9);
    expect(test.pValue).toBeCloseTo(chiSquaredPValue({ converted: 250, entered: 1_000 }, { converted: 200, entered: 1_000 }), 12);
    expect(test.pValue).toBeCloseTo(0.00742, 5);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50_000 }),
        fc.integer({ min: 2, max: 50_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (na, nb, ra, rb) => {
          const a = { entered: na, converted: Math.round(ra * na) };
          const b = { entered: nb, converted: Math.round(rb * nb) };
          const result = twoProportionTest(a, b);
          const pooled = (a.converted + b.converted) / (na + nb);
          if (pooled === 0 || pooled === 1) return result === null;
          const reference = chiSquaredPValue(a, b);
          // jStat's incomplete gamma loses relative precision far in the tail: compare absolutely there.
          return result !== null && result.pValue >= 0 && result.pValue <= 1 && Math.abs(result.pValue - reference) < 1e-9 + 1e-6 * reference;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('intervals always hold the rate and lie in [0, 1]; a higher confidence widens them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (entered, share) => {
        const converted = Math.round(share * entered);
        const narrow = wilsonInterval(converted, entered, 0.9)!;
        const wide = wilsonInterval(converted, entered, 0.99)!;
        const rate = converted / entered;
        return narrow.lower >= 0 && narrow.upper <= 1 && narrow.lower <= rate && rate <= narrow.upper && wide.lower <= narrow.lower && wide.upper >= narrow.upper;
      }),
    );
  });

  it('compares every arm with the baseline: uplift, its interval, p-value and significance', () => {
    const [control, variant, empty] = experimentStatistics(
      [
        { variant: 'holdout', control: true, entered: 1_000, converted: 200 },
        { variant: 'sms', control: false, entered: 1_000, converted: 250 },
        { variant: 'email', control: false, entered: 0, converted: 0 },
      ],
      'holdout',
      0.95,
    );
    expect(control).toMatchObject({ conversionRate: 0.2, upliftAbsolute: null, upliftRelative: null, pValue: null, significant: false });
    expect(variant!.upliftAbsolute).toBeCloseTo(0.05, 12);
    expect(variant!.upliftRelative).toBeCloseTo(0.25, 12);
    expect(variant!.pValue).toBeCloseTo(chiSquaredPValue({ converted: 250, entered: 1_000 }, { converted: 200, entered: 1_000 }), 12);
    expect(variant!.significant).toBe(true);
    // Wald: 0.05 ± 1.96 · √(0.25·0.75/1000 + 0.2·0.8/1000)
    const half = 1.959963984540054 * Math.sqrt((0.25 * 0.75) / 1_000 + (0.2 * 0.8) / 1_000);
    expect(variant!.upliftInterval!.lower).toBeCloseTo(0.05 - half, 12);
    expect(variant!.upliftInterval!.upper).toBeCloseTo(0.05 + half, 12);
    expect(differenceInterval({ converted: 250, entered: 1_000 }, { converted: 200, entered: 1_000 }, 0.95)).toEqual(variant!.upliftInterval);
    expect(empty).toMatchObject({ conversionRate: null, interval: null, upliftAbsolute: null, pValue: null, significant: false });
    // Not significant at 99.9 %: p = 0.0074 is above 0.001.
    expect(experimentStatistics([{ variant: 'a', control: true, entered: 1_000, converted: 200 }, { variant: 'b', control: false, entered: 1_000, converted: 250 }], 'a', 0.999)[1]!.significant).toBe(false);
  });
});

describe('the winner rule', () => {
  const arm = (variant: string, entered: number, converted: number, control = false) => ({ variant, control, entered, converted });

  it('calls the best variant once it beats every other arm at alpha / (arms − 1) with enough customers', () => {
    const arms = [arm('a', 1_000, 250), arm('b', 1_000, 200), arm('holdout', 1_000, 150, true)];
    const winner = experimentWinner(arms, { alpha: 0.05, minPerArm: 500 })!;
    expect(winner.variant).toBe('a');
    expect(winner.pValues['b']).toBeCloseTo(chiSquaredPValue(arms[0]!, arms[1]!), 12);
    expect(Object.keys(winner.pValues)).toEqual(['b', 'holdout']);
    // Too few customers in one arm, or not significant after the correction (p = 0.0074 > 0.001 / 2): none.
    expect(experimentWinner(arms, { alpha: 0.05, minPerArm: 1_001 })).toBeNull();
    expect(experimentWinner(arms, { alpha: 0.001, minPerArm: 500 })).toBeNull();
    // The control group never wins, even when it converts best.
    expect(experimentWinner([arm('a', 1_000, 100), arm('holdout', 1_000, 300, true)], { alpha: 0.05, minPerArm: 1 })).toBeNull();
  });

  it('never calls a winner that another arm matches or beats', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 4 }), (specs) => {
        const arms = specs.map(([entered, share], index) => arm(`v${index}`, entered, Math.round(share * entered)));
        const winner = experimentWinner(arms, { alpha: 0.05, minPerArm: 1 });
        if (!winner) return true;
        const best = arms.find((candidate) => candidate.variant === winner.variant)!;
        return arms.every((other) => other === best || best.converted / best.entered > other.converted / other.entered);
      }),
    );
  });
});
