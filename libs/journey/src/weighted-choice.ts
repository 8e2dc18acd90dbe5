/**
 * The variant a roll in [0, 1) lands on, each variant taking its weight's share of the range in
 * the order given (`{ a: 50, b: 50 }`: a below 0.5). `what` names the split in the error.
 */
export function weightedChoice<T extends string>(weights: Record<T, number>, roll: number, what: string): T {
  const entries = Object.entries(weights) as Array<[T, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0)) throw new Error(`${what}: weights must add up to more than 0`);
  let left = roll * total;
  for (const [variant, weight] of entries) {
    if (left < weight) return variant;
    left -= weight;
  }
  return entries[entries.length - 1]![0];
}
