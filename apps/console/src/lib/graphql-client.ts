import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';
import { Client, fetchExchange, subscriptionExchange } from 'urql';

/** Where the gateway's GraphQL API is: the console is served by the gateway, so the same origin. */
const httpUrl = new URL('/graphql', window.location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');

/**
 * A GraphQL client that sends the API key as the gateway expects it: the `x-api-key` header over
 * HTTP, and the `x-api-key` connection parameter of graphql-ws for subscriptions.
 */
export function createGraphqlClient(apiKey: string): { client: Client; dispose(): void } {
  // No transparent retries: they would subscribe again with the first `after`. A dropped socket
  // errors each subscription instead, and useLiveUpdates subscribes again after its last cursor.
  const ws = createWsClient({ url: wsUrl, connectionParams: { 'x-api-key': apiKey }, lazy: true, retryAttempts: 0 });
  const client = new Client({
    url: httpUrl,
    // Each view shows what the cache has at once and asks the gateway for what it shows now.
    requestPolicy: 'cache-and-network',
    // POST with a JSON body: the gateway (Apollo's CSRF prevention) refuses GET queries without a preflight header.
    preferGetMethod: false,
    fetchOptions: { headers: { 'x-api-key': apiKey } },
    exchanges: [
      // A normalised cache: every object with an `id` (the API's Node ids, unique across types) is
      // one entity, so a mutation's payload or a subscription's item updates every view showing
      // that node (a broadcast's counts in the list and on its page). Objects without an id
      // (connections, edges, counts) are kept inside the entity or query field holding them.
      cacheExchange({}),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
