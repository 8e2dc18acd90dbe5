import type { CombinedError } from 'urql';
import { problemOf } from '../lib/errors';

/**
 * A failed request shown as a sentence: a key without the view's scope reads "Your key cannot …"
 * (naming the scope to ask for) rather than a broken page.
 */
export function ProblemNotice({ error, cannot }: { error: CombinedError; cannot: string }) {
  const problem = problemOf(error);
  if (problem.kind === 'forbidden') {
    return (
      <p role="alert" className="notice notice-forbidden">
        Your key cannot {cannot}
        {problem.scope ? (
          <>
            : it needs the <code>{problem.scope}</code> scope.
          </>
        ) : (
          '.'
        )}{' '}
        Ask an administrator for a key with that scope.
      </p>
    );
  }
  if (problem.kind === 'unauthenticated') {
    return (
      <p role="alert" className="notice notice-error">
        The gateway no longer accepts your key ({problem.message}). Sign out and sign in with a valid key.
      </p>
    );
  }
  return (
    <p role="alert" className="notice notice-error">
      {problem.message}
    </p>
  );
}
