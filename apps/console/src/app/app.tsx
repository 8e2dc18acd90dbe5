import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Provider } from 'urql';
import { createGraphqlClient } from '../lib/graphql-client';
import { forgetApiKey, storeApiKey, storedApiKey } from '../lib/session';
import { Layout } from './layout';

// Every view is a chunk of its own, loaded when it is first opened: the entry script holds the shell
// (React, the router, the GraphQL client) only, and the typed documents of the views (src/gql) go
// with the views. The journey view also carries the graph layout library. The budget of the entry
// is checked by apps/console/bundle-budget.test.ts; `npm run bench -- console` measures the load.
const LoginPage = lazy(() => import('../features/auth/login-page').then((module) => ({ default: module.LoginPage })));
const JourneysPage = lazy(() => import('../features/journeys/journeys-page').then((module) => ({ default: module.JourneysPage })));
const JourneyPage = lazy(() => import('../features/journey/journey-page').then((module) => ({ default: module.JourneyPage })));
const SearchPage = lazy(() => import('../features/search/search-page').then((module) => ({ default: module.SearchPage })));
const CustomerPage = lazy(() => import('../features/customer/customer-page').then((module) => ({ default: module.CustomerPage })));
const InstancePage = lazy(() => import('../features/instance/instance-page').then((module) => ({ default: module.InstancePage })));
const InboxPage = lazy(() => import('../features/inbox/inbox-page').then((module) => ({ default: module.InboxPage })));
const BroadcastsPage = lazy(() => import('../features/broadcasts/broadcasts-page').then((module) => ({ default: module.BroadcastsPage })));
const BroadcastPage = lazy(() => import('../features/broadcasts/broadcasts-page').then((module) => ({ default: module.BroadcastPage })));
const TemplatesPage = lazy(() => import('../features/templates/templates-page').then((module) => ({ default: module.TemplatesPage })));
const loading = <p role="status">Loading…</p>;
const suspended = (element: ReactNode) => <Suspense fallback={loading}>{element}</Suspense>;

/** Every view has a URL under /console, so that it can be linked and reloaded. */
function routerFor(onSignOut: () => void) {
  return createBrowserRouter(
    [
      {
        element: <Layout onSignOut={onSignOut} />,
        children: [
          { index: true, element: <Navigate to="/journeys" replace /> },
          { path: 'journeys', element: suspended(<JourneysPage />) },
          { path: 'journeys/:key', element: suspended(<JourneyPage />) },
          { path: 'search', element: suspended(<SearchPage />) },
          { path: 'customers/:userId', element: suspended(<CustomerPage />) },
          { path: 'instances/:id', element: suspended(<InstancePage />) },
          { path: 'inbox', element: suspended(<InboxPage />) },
          { path: 'broadcasts', element: suspended(<BroadcastsPage />) },
          { path: 'broadcasts/:id', element: suspended(<BroadcastPage />) },
          { path: 'templates', element: suspended(<TemplatesPage />) },
          { path: '*', element: <p role="status">There is no such page in the console.</p> },
        ],
      },
    ],
    { basename: '/console' },
  );
}

export function App() {
  const [apiKey, setApiKey] = useState(storedApiKey);
  const session = useMemo(() => (apiKey ? createGraphqlClient(apiKey) : null), [apiKey]);
  useEffect(() => () => session?.dispose(), [session]);
  const router = useMemo(
    () =>
      routerFor(() => {
        forgetApiKey();
        setApiKey(null);
      }),
    [],
  );

  if (!session) {
    return suspended(
      <LoginPage
        onSignedIn={(key) => {
          storeApiKey(key);
          setApiKey(key);
        }}
      />,
    );
  }
  return (
    <Provider value={session.client}>
      <RouterProvider router={router} />
    </Provider>
  );
}
