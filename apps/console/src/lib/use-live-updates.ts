import { useEffect, useRef, useState } from 'react';
import { useClient, type AnyVariables, type CombinedError, type TypedDocumentNode } from 'urql';

/** Where a live subscription stands, for the "Live" line of a view. */
export type LiveStatus = 'live' | 'reconnecting' | 'unavailable';

/** Whether the gateway refused the `after` cursor (older than the 7 days changes are kept, …). */
function cursorRefused(error: CombinedError): boolean {
  return error.graphQLErrors.some((each) => each.extensions?.['code'] === 'BAD_USER_INPUT' && each.extensions?.['field'] === 'after');
}

/**
 * Follows one of the API's resumable subscriptions (an item with a `cursor`, an `after` argument):
 * it keeps the cursor of the last item handled and, when the socket drops, subscribes again with it
 * as `after` (backing off 0.5 s doubling to 10 s), so that the gateway first replays what happened
 * meanwhile — nothing missed, nothing twice. A cursor the gateway refuses (older than its 7 days)
 * starts again from now, after `onGap` lets the view read its state again.
 */
export function useLiveUpdates<Data, Variables extends AnyVariables & { after?: string | null }>(options: {
  query: TypedDocumentNode<Data, Variables>;
  variables: Omit<Variables, 'after'>;
  cursorOf: (data: Data) => string;
  onData: (data: Data) => void;
  onGap?: () => void;
  pause?: boolean;
}): { status: LiveStatus; error?: CombinedError } {
  const client = useClient();
  const [state, setState] = useState<{ status: LiveStatus; error?: CombinedError }>({ status: 'live' });
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const { query, pause } = options;
  const variablesKey = JSON.stringify(options.variables);

  useEffect(() => {
    if (pause) return;
    const variables = JSON.parse(variablesKey) as Omit<Variables, 'after'>;
    let cursor: string | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: { unsubscribe(): void } | undefined;
    let stopped = false;

    const start = () => {
      if (stopped) return;
      current = client
        .subscription(query, { ...variables, after: cursor } as unknown as Variables)
        .subscribe((result) => {
          if (result.data) {
            attempt = 0;
            cursor = latest.current.cursorOf(result.data);
            setState({ status: 'live' });
            latest.current.onData(result.data);
          }
          if (!result.error) return;
          current?.unsubscribe();
          if (result.error.networkError || cursorRefused(result.error)) {
            if (cursorRefused(result.error)) {
              cursor = null;
              latest.current.onGap?.();
            }
            setState({ status: 'reconnecting', error: result.error });
            timer = setTimeout(start, Math.min(10_000, 500 * 2 ** attempt++));
          } else {
            // A refusal that waiting will not change (a key without the scope, an unknown id).
            setState({ status: 'unavailable', error: result.error });
          }
        });
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      current?.unsubscribe();
    };
  }, [client, query, variablesKey, pause]);

  return state;
}
