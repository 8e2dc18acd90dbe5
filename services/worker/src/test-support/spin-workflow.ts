/**
 * Test-only workflow for the deadlock detection test (workflow-deadlock-detection.test.ts): runs
 * `iterations` rounds of arithmetic without yielding, then returns the sum. Deterministic, finite,
 * and long enough to overrun a short isolateExecutionTimeout.
 */
export async function spin(iterations: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum = (sum + i * 7) % 1_000_003;
  return sum;
}
