/**
 * The chaos program's progress bar on stderr: journeys driven so far and the phase (set-up, load,
 * which part is being killed, drain, accounting), redrawn in place on a terminal, a line per phase
 * otherwise (as bench/lib.ts draws its own).
 */
export function progressBar(total: number): { update(done: number, phase: string): void; done(): void } {
  let count = 0;
  let phase = '';
  let last = 0;
  const draw = (final: boolean) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((Math.min(count, total) / total) * width);
    const line = `  journeys [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(count).padStart(String(total).length)}/${total}  ${phase.padEnd(24)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else if (final) process.stderr.write(`${line}\n`);
  };
  return {
    update(done, now) {
      count = done;
      if (now !== phase) {
        if (!process.stderr.isTTY && phase) draw(true);
        phase = now;
        draw(false);
        return;
      }
      const time = Date.now();
      if (time - last > 100) {
        last = time;
        draw(false);
      }
    },
    done() {
      draw(true);
    },
  };
}
