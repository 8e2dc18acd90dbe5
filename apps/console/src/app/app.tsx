import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Provider } from 'urql';
import { CustomerPage } from '../features/customer/customer-page';
import { InboxPage } from '../features/inbox/inbox-page';
import { InstancePage } from '../features/instance/instance-page';
import { JourneysPage } from '../features/journeys/journeys-page';
import { LoginPage } from '../features/auth/login-page';
import { SearchPage } from '../features/search/search-page';
import { createGraphqlClient } from '../lib/graphql-client';
import { forgetApiKey, storeApiKey, storedApiKey } from '../lib/session';
import { Layout } from './layout';

// The journey view carries the graph layout library: loaded when a journey is opened, not with the console.
const JourneyPage = lazy(() => import('../features/journey/journey-page').then((module) => ({ default: module.JourneyPage })));
const loading = <p role="status">Loading…</p>;

/** Every view has a URL under /console, so that it can be linked and reloaded. */
function routerFor(onSignOut: () => void) {
  return createBrowserRouter(
    [
      {
        element: <Layout onSignOut={onSignOut} />,
        children: [
          { index: true, element: <Navigate to="/journeys" replace /> },
          { path: 'journeys', element: <JourneysPage /> },
          {
            path: 'journeys/:key',
            element: (
              <Suspense fallback={loading}>
                <JourneyPage />
              </Suspense>
            ),
          },
          { path: 'search', element: <SearchPage /> },
          { path: 'customers/:userId', element: <CustomerPage /> },
          { path: 'instances/:id', element: <InstancePage /> },
          { path: 'inbox', element: <InboxPage /> },
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
    return (
      <LoginPage
        onSignedIn={(key) => {
          storeApiKey(key);
          setApiKey(key);
        }}
      />
    );
  }
  return (
    <Provider value={session.client}>
      <RouterProvider router={router} />
    </Provider>
  );
}
