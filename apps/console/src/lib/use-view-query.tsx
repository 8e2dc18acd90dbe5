import type { ReactNode } from 'react';
import { useQuery, type AnyVariables, type TypedDocumentNode, type UseQueryArgs } from 'urql';
import { ProblemNotice } from '../components/problem-notice';

/**
 * The query every view starts with, and what the view shows until it has data: "Loading …" while
 * the first answer comes, or the failure in words ("Your key cannot …") when it fails. A view
 * renders `notice` when it is set, its data otherwise.
 */
export function useViewQuery<Data, Variables extends AnyVariables>(
  args: UseQueryArgs<Variables, Data> & { query: TypedDocumentNode<Data, Variables> },
  words: { loading: string; cannot: string },
) {
  const [result, refetch] = useQuery<Data, Variables>(args);
  let notice: ReactNode = null;
  if (result.error && !result.data) notice = <ProblemNotice error={result.error} cannot={words.cannot} />;
  else if (!result.data && !args.pause) notice = <p role="status">{words.loading}</p>;
  return { data: result.data, error: result.error, fetching: result.fetching, notice, refetch };
}
