import type { CombinedError } from 'urql';

/** What went wrong with a request, in words an operator can act on. */
export type Problem =
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'forbidden'; scope: string | null; message: string }
  | { kind: 'other'; message: string };

export function problemOf(error: CombinedError): Problem {
  for (const graphQLError of error.graphQLErrors) {
    const code = graphQLError.extensions?.['code'];
    if (code === 'UNAUTHENTICATED') return { kind: 'unauthenticated', message: graphQLError.message };
    if (code === 'FORBIDDEN') {
      const scope = graphQLError.extensions?.['requiredScope'];
      return { kind: 'forbidden', scope: typeof scope === 'string' ? scope : null, message: graphQLError.message };
    }
  }
  if (error.networkError) return { kind: 'other', message: `The gateway could not be reached: ${error.networkError.message}` };
  return { kind: 'other', message: error.graphQLErrors.map((each) => each.message).join('; ') || error.message };
}
