import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { InstanceTable } from '../../components/instance-table';
import { graphql } from '../../gql';
import type { ProfileSearchInput } from '../../gql/graphql';
import { useViewQuery } from '../../lib/use-view-query';

const SearchCustomers = graphql(`
  query ConsoleSearchCustomers($query: ProfileSearchInput!) {
    searchProfiles(query: $query, first: 20) {
      totalCount
      nodes {
        id
        userId
        email
        phone
        journeyInstances(first: 10) {
          totalCount
          nodes {
            id
            journeyId
            key
            status
            currentStep
            startedAt
            exitReason
          }
        }
      }
    }
  }
`);

const criteria = { userId: 'User id', email: 'Email', phone: 'Phone' } as const;
type Criterion = keyof typeof criteria;
const isCriterion = (value: string | null): value is Criterion => value !== null && value in criteria;

/** Customers by user id, email or phone (exact), each with their journey instances; the URL holds the search. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const by: Criterion = isCriterion(params.get('by')) ? (params.get('by') as Criterion) : 'email';
  const text = params.get('q') ?? '';
  const [draft, setDraft] = useState({ by, text });
  const query: ProfileSearchInput = { [by]: text };
  const { data, notice } = useViewQuery({ query: SearchCustomers, variables: { query }, pause: text.trim() === '' }, { loading: 'Searching…', cannot: 'search customers' });

  function submit(event: FormEvent) {
    event.preventDefault();
    setParams({ by: draft.by, q: draft.text.trim() });
  }

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search customers</h1>
      <form role="search" onSubmit={submit} className="search-form">
        <label htmlFor="search-by">Search by</label>
        <select id="search-by" value={draft.by} onChange={(event) => setDraft({ ...draft, by: event.target.value as Criterion })}>
          {Object.entries(criteria).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="search-text">{criteria[draft.by]}</label>
        <input
          id="search-text"
          type={draft.by === 'email' ? 'email' : draft.by === 'phone' ? 'tel' : 'text'}
          placeholder={draft.by === 'phone' ? '+14155550100' : draft.by === 'email' ? 'name@example.com' : 'user-123'}
          value={draft.text}
          onChange={(event) => setDraft({ ...draft, text: event.target.value })}
        />
        <button type="submit">Search</button>
      </form>
      {notice}
      {data && text && (
        <div aria-label="Results" role="region">
          <p role="status">
            {data.searchProfiles.totalCount === 1 ? '1 customer' : `${data.searchProfiles.totalCount} customers`} with {criteria[by].toLowerCase()} {text}
          </p>
          {data.searchProfiles.nodes.map((customer) => (
            <article key={customer.id} aria-label={`Customer ${customer.userId}`} className="card">
              <h2>
                <Link to={`/customers/${encodeURIComponent(customer.userId)}`}>{customer.userId}</Link>
              </h2>
              <p className="muted">
                {customer.email ?? 'no email'} · {customer.phone ?? 'no phone'}
              </p>
              <InstanceTable instances={customer.journeyInstances.nodes} label={`Journey instances of ${customer.userId}`} />
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
