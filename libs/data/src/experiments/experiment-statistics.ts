import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * The statistics of an experiment's results. The normal distribution's CDF and quantile come from
 * stdlib (double-precision implementations, tested against reference values), not from a
 * hand-written erf approximation; the formulas are the textbook ones:
 *
 * - Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3);
 * - two-proportion z-test with the pooled proportion, two-sided (equal to Pearson's chi-squared test
 *   of the 2×2 table without continuity correction, R's `prop.test(correct = FALSE)`);
 * - Wald interval of the difference of two proportions (unpooled standard error).
 */

export interface Interval {
  lower: number;
  upper: number;
}

export interface ArmInput {
  variant: string;
  control: boolean;
  entered: number;
  converted: number;
}

export interface ArmStatistics extends ArmInput {
  /** converted / entered; null when nobody entered. */
  conversionRate: number | null;
  /** Wilson score interval of the rate at the confidence asked; null when nobody entered. */
  interval: Interval | null;
  /** rate − baseline rate; null for the baseline itself or when either has nobody. */
  upliftAbsolute: number | null;
  /** (rate − baseline rate) / baseline rate; null also when the baseline rate is 0. */
  upliftRelative: number | null;
  /** Wald interval of upliftAbsolute; null when upliftAbsolute is. */
  upliftInterval: Interval | null;
  /** Two-sided p-value of the two-proportion z-test against the baseline; null when it has no meaning (see twoProportionTest). */
  pValue: number | null;
  /** pValue below 1 − confidence. */
  significant: boolean;
}

/** The z of a two-sided interval at `confidence` (1.959963984540054 for 0.95). */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/** Wilson score interval of `converted` of `entered` at `confidence`; null for entered = 0. */
export function wilsonInterval(converted: number, entered: number, confidence: number): Interval | null {
  if (entered === 0) return null;
  const z = zFor(confidence);
  const p = converted / entered;
  const z2 = z * z;
  const denominator = 1 + z2 / entered;
  const centre = (p + z2 / (2 * entered)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / entered + z2 / (4 * entered * entered));
  // At 0 or all converted the bound is exactly 0 or 1 (the formula leaves rounding noise there).
  return { lower: converted === 0 ? 0 : Math.max(0, centre - half), upper: converted === entered ? 1 : Math.min(1, centre + half) };
}

/**
 * Two-sided two-proportion z-test (pooled): `{ z, pValue }`. Null when either group is empty or the
 * pooled proportion is 0 or 1 (no conversions anywhere, or all converted: nothing to test).
 */
export function twoProportionTest(a: { converted: number; entered: number }, b: { converted: number; entered: number }): { z: number; pValue: number } | null {
  if (a.entered === 0 || b.entered === 0) return null;
  const pooled = (a.converted + b.converted) / (a.entered + b.entered);
  if (pooled === 0 || pooled === 1) return null;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.entered + 1 / b.entered));
  const z = (a.converted / a.entered - b.converted / b.entered) / se;
  // 2 · Φ(−|z|) keeps its precision for tiny p-values (1 − Φ(|z|) would round to 0).
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)) };
}

/** Wald interval of rate(a) − rate(b) at `confidence`. */
export function differenceInterval(a: { converted: number; entered: number }, b: { converted: number; entered: number }, confidence: number): Interval | null {
  if (a.entered === 0 || b.entered === 0) return null;
  const pa = a.converted / a.entered;
  const pb = b.converted / b.entered;
  const half = zFor(confidence) * Math.sqrt((pa * (1 - pa)) / a.entered + (pb * (1 - pb)) / b.entered);
  return { lower: pa - pb - half, upper: pa - pb + half };
}

/** Every arm's figures against the baseline arm (the control group, else the first variant declared). */
export function experimentStatistics(arms: readonly ArmInput[], baseline: string | null, confidence: number): ArmStatistics[] {
  const base = arms.find((arm) => arm.variant === baseline);
  const alpha = 1 - confidence;
  return arms.map((arm) => {
    const rate = arm.entered === 0 ? null : arm.converted / arm.entered;
    const baseRate = base && base.entered > 0 ? base.converted / base.entered : null;
    const compared = base !== undefined && arm !== base && rate !== null && baseRate !== null;
    const test = compared ? twoProportionTest(arm, base) : null;
    return {
      ...arm,
      conversionRate: rate,
      interval: wilsonInterval(arm.converted, arm.entered, confidence),
      upliftAbsolute: compared ? rate - baseRate : null,
      upliftRelative: compared && baseRate > 0 ? (rate - baseRate) / baseRate : null,
      upliftInterval: compared ? differenceInterval(arm, base, confidence) : null,
      pValue: test?.pValue ?? null,
      significant: test !== null && test.pValue < alpha,
    };
  });
}

/** When a variant wins an experiment (see experimentWinner). */
export interface WinnerRule {
  /** Significance level before the Bonferroni correction, e.g. 0.05. */
  alpha: number;
  /** Customers every arm needs before any winner is called. */
  minPerArm: number;
}

/**
 * The variant that wins, or null: the variant (never the control group) with the highest rate, once
 * every arm has `minPerArm` customers and its two-proportion p-value against each other arm is below
 * alpha / (arms − 1) (Bonferroni: one comparison per other arm). Ties go to the first declared.
 */
export function experimentWinner(arms: readonly ArmInput[], rule: WinnerRule): { variant: string; pValues: Record<string, number> } | null {
  if (arms.length < 2 || arms.some((arm) => arm.entered < rule.minPerArm)) return null;
  const rate = (arm: ArmInput) => arm.converted / arm.entered;
  const candidates = arms.filter((arm) => !arm.control);
  if (candidates.length === 0) return null;
  const best = candidates.reduce((leader, arm) => (rate(arm) > rate(leader) ? arm : leader));
  const threshold = rule.alpha / (arms.length - 1);
  const pValues: Record<string, number> = {};
  for (const other of arms) {
    if (other === best) continue;
    const test = twoProportionTest(best, other);
    if (!test || rate(best) <= rate(other) || test.pValue >= threshold) return null;
    pValues[other.variant] = test.pValue;
  }
  return { variant: best.variant, pValues };
}
