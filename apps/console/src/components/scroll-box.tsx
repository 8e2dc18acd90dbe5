import type { ReactNode } from 'react';

/**
 * A box that scrolls sideways on its own when its content (a wide table, the step graph) is wider
 * than the screen, so the page does not; focusable, so that the keyboard can scroll it too.
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll-box" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
