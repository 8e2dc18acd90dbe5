/** How long a dependency may take to answer a readiness check before it counts as down. */
export const PROBE_TIMEOUT_MS = 3000;

/** A readiness check's outcome per dependency: `up`, or `down: <why>`. */
export type HealthChecks = Record<string, string>;

/** `up`, or `down: <why>` when the check fails or takes longer than `timeoutMs`. */
export async function probe(check: () => Promise<unknown>, timeoutMs = PROBE_TIMEOUT_MS): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'up';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}
