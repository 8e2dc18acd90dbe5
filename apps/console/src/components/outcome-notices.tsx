import type { CombinedError } from 'urql';
import { ProblemNotice } from './problem-notice';

/** What an action of a page came to: a failed request, the API's user errors, or what was done. */
export interface ActionOutcome {
  error?: CombinedError;
  userErrors?: string;
  done?: string;
}

/** The outcome of the latest action, as an alert (failure, refusal) or a status line (done). */
export function OutcomeNotices({ outcome, cannot }: { outcome: ActionOutcome | null; cannot: string }) {
  return (
    <>
      {outcome?.error && <ProblemNotice error={outcome.error} cannot={cannot} />}
      {outcome?.userErrors && (
        <p role="alert" className="notice notice-error">
          {outcome.userErrors}
        </p>
      )}
      {outcome?.done && (
        <p role="status" className="notice">
          {outcome.done}
        </p>
      )}
    </>
  );
}
