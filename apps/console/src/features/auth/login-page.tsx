import { useState, type FormEvent } from 'react';
import { graphql } from '../../gql';
import { createGraphqlClient } from '../../lib/graphql-client';
import { problemOf } from '../../lib/errors';

// Any operation checks the key; a key without the read scope is still a key (FORBIDDEN, not UNAUTHENTICATED).
const SignInCheck = graphql(`
  query ConsoleSignInCheck {
    journeys {
      id
    }
  }
`);

/** Asks for an API key once, checks it against the gateway and hands it over when the gateway accepts it. */
export function LoginPage({ onSignedIn }: { onSignedIn: (apiKey: string) => void }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const apiKey = key.trim();
    if (!apiKey) {
      setProblem('Enter an API key.');
      return;
    }
    setChecking(true);
    setProblem(null);
    const { client, dispose } = createGraphqlClient(apiKey);
    try {
      const result = await client.query(SignInCheck, {}, { requestPolicy: 'network-only' }).toPromise();
      const found = result.error ? problemOf(result.error) : null;
      if (found?.kind === 'unauthenticated') setProblem(`The gateway did not accept this API key (${found.message}). Check the key and try again.`);
      else if (found?.kind === 'other') setProblem(found.message);
      else onSignedIn(apiKey);
    } finally {
      dispose();
      setChecking(false);
    }
  }

  return (
    <main className="login">
      <h1>Continuum console</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby={problem ? 'login-problem' : undefined}>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={problem ? true : undefined}
        />
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
        {problem && (
          <p id="login-problem" role="alert" className="notice notice-error">
            {problem}
          </p>
        )}
      </form>
      <p className="hint">The key is kept in this tab only (session storage) and sent to the gateway as the <code>x-api-key</code> header.</p>
    </main>
  );
}
