import { useCallback, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ProblemNotice } from '../../components/problem-notice';
import { ScrollBox } from '../../components/scroll-box';
import { Time } from '../../components/time';
import { graphql } from '../../gql';
import type { EscalationReason, QueueState } from '../../gql/graphql';
import { useLiveUpdates } from '../../lib/use-live-updates';
import { useViewQuery } from '../../lib/use-view-query';
import { OutcomeNotices, type ActionOutcome } from '../../components/outcome-notices';

const Queue = graphql(`
  query ConsoleAgentQueue($state: QueueState!) {
    agentQueue(state: $state, first: 50) {
      totalCount
      nodes {
        id
        userId
        intent
        channel
        status
        escalationReason
        escalationKeyword
        escalatedAt
        assignedAgent
        lastMessageAt
      }
    }
  }
`);

const Topic = graphql(`
  query ConsoleTopic($id: ID!) {
    topic(id: $id) {
      id
      userId
      intent
      channel
      status
      escalationReason
      escalationKeyword
      assignedAgent
      facts
      messages(last: 50) {
        nodes {
          id
          at
          author
          body
          channel
          direction
          status
          deliveryStatus
          reason
        }
      }
    }
  }
`);

const ConversationUpdates = graphql(`
  subscription ConsoleConversationUpdates($after: String) {
    conversationUpdates(after: $after) {
      cursor
      kind
      topicId
    }
  }
`);

const Claim = graphql(`
  mutation ConsoleClaimTopic($input: ClaimTopicInput!) {
    claimTopic(input: $input) {
      topic {
        id
        status
        assignedAgent
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const Reply = graphql(`
  mutation ConsoleReplyToTopic($input: ReplyToTopicInput!) {
    replyToTopic(input: $input) {
      message {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const Resolve = graphql(`
  mutation ConsoleResolveTopic($input: ResolveTopicInput!) {
    resolveTopic(input: $input) {
      topic {
        id
        status
        assignedAgent
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const reasonLabel: Record<EscalationReason, string> = {
  ASKED_FOR_PERSON: 'Asked for a person',
  KEYWORD: 'Keyword',
  NOT_UNDERSTOOD_TWICE: 'Not understood twice',
  VIP: 'VIP customer',
  UPSET: 'Upset customer',
};
const states: Record<QueueState, string> = { QUEUED: 'Waiting', CLAIMED: 'Claimed', ALL: 'All' };
const AGENT_NAME = 'continuum.console.agentName';
const liveLabel = { live: 'Live', reconnecting: 'Reconnecting…', unavailable: 'Live updates unavailable' } as const;

/** The agents' queue: topics escalated to a person, claimed, replied to and resolved, following every change live. */
export function InboxPage() {
  const [params] = useSearchParams();
  const state = (params.get('state') as QueueState | null) ?? 'ALL';
  const topicId = params.get('topic');
  const [agent, setAgent] = useState(() => sessionStorage.getItem(AGENT_NAME) ?? '');
  const { data, notice, refetch } = useViewQuery({ query: Queue, variables: { state } }, { loading: 'Loading the queue…', cannot: 'read the agents’ queue' });
  const [topicResult, refetchTopic] = useQuery({ query: Topic, variables: { id: topicId ?? '' }, pause: !topicId });
  const reread = useCallback(() => {
    refetch({ requestPolicy: 'network-only' });
    if (topicId) refetchTopic({ requestPolicy: 'network-only' });
  }, [refetch, refetchTopic, topicId]);
  const live = useLiveUpdates({ query: ConversationUpdates, variables: {}, cursorOf: (u) => u.conversationUpdates.cursor, onData: reread, onGap: reread });

  const [reply, setReply] = useState('');
  const [confirmResolve, setConfirmResolve] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [claimState, claim] = useMutation(Claim);
  const [replyState, send] = useMutation(Reply);
  const [resolveState, resolve] = useMutation(Resolve);
  const busy = claimState.fetching || replyState.fetching || resolveState.fetching;

  if (notice) return notice;
  const topic = topicId ? topicResult.data?.topic : null;
  const named = agent.trim();

  function report(result: { error?: CombinedError; userErrors?: Array<{ message: string }> }, done: string) {
    const userErrors = result.userErrors?.map((each) => each.message).join('; ');
    if (result.error) setOutcome({ error: result.error });
    else if (userErrors) setOutcome({ userErrors });
    else setOutcome({ done });
    reread();
  }

  async function onReply(event: FormEvent) {
    event.preventDefault();
    if (!topic || !reply.trim()) return;
    const result = await send({ input: { topicId: topic.id, agent: named, body: reply.trim() } });
    report({ error: result.error, userErrors: result.data?.replyToTopic.userErrors }, 'Reply sent.');
    if (!result.error && result.data?.replyToTopic.userErrors.length === 0) setReply('');
  }

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <p className="muted" aria-live="polite">
        {liveLabel[live.status]} · {data?.agentQueue.totalCount === 1 ? '1 topic' : `${data?.agentQueue.totalCount ?? 0} topics`}
      </p>
      <div className="action-row">
        <label htmlFor="agent-name">Your name</label>
        <input
          id="agent-name"
          value={agent}
          maxLength={100}
          onChange={(event) => {
            setAgent(event.target.value);
            sessionStorage.setItem(AGENT_NAME, event.target.value);
          }}
          aria-describedby="agent-name-help"
        />
        <span id="agent-name-help" className="muted">
          Shown to the customer and kept in the audit trail when you claim, reply or resolve.
        </span>
      </div>
      <nav aria-label="Queue" className="action-row">
        {(Object.keys(states) as QueueState[]).map((each) => (
          <Link key={each} to={`?state=${each}`} aria-current={each === state ? 'page' : undefined}>
            {states[each]}
          </Link>
        ))}
      </nav>
      {data && data.agentQueue.nodes.length === 0 ? (
        <p className="muted">No topic waits for a person.</p>
      ) : (
        <ScrollBox label="Queue, scrollable">
          <table aria-label="Topics">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Topic</th>
                <th scope="col">Escalation</th>
                <th scope="col">Held by</th>
                <th scope="col">Last message</th>
              </tr>
            </thead>
            <tbody>
              {data?.agentQueue.nodes.map((each) => (
                <tr key={each.id} aria-label={each.userId}>
                  <th scope="row">
                    <Link to={`?state=${state}&topic=${encodeURIComponent(each.id)}`} aria-current={each.id === topicId ? 'true' : undefined}>
                      {each.userId}
                    </Link>
                  </th>
                  <td>
                    {each.intent.toLowerCase()} · {each.channel}
                  </td>
                  <td>
                    {each.escalationReason ? reasonLabel[each.escalationReason] : '—'}
                    {each.escalationKeyword ? ` (${each.escalationKeyword})` : ''}
                  </td>
                  <td>{each.assignedAgent ?? 'nobody'}</td>
                  <td>
                    <Time value={each.lastMessageAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}

      {topicResult.error && <ProblemNotice error={topicResult.error} cannot="read a conversation" />}
      {topic && (
        <section aria-labelledby="topic-title" className="card">
          <h2 id="topic-title">Conversation with {topic.userId}</h2>
          <p className="muted">
            {topic.status === 'RESOLVED' ? 'Resolved' : topic.assignedAgent ? `Held by ${topic.assignedAgent}` : 'Waiting for a person'}
            {topic.escalationReason ? ` · escalated: ${reasonLabel[topic.escalationReason]}` : ''} · replies go by {topic.channel}
          </p>
          <OutcomeNotices outcome={outcome} cannot="answer customers" />
          <ol aria-label="Messages" className="timeline">
            {topic.messages.nodes.map((message) => (
              <li key={message.id}>
                <Time value={message.at} /> <span className="tag">{message.author}</span> {message.body}
                {message.direction === 'OUT' && (
                  <span className="muted"> · {(message.deliveryStatus ?? message.status ?? '').toString().toLowerCase()}</span>
                )}
              </li>
            ))}
          </ol>
          {!named && <p className="muted">Enter your name above to claim, reply or resolve.</p>}
          <div className="action-row">
            <button
              type="button"
              disabled={busy || !named || topic.status === 'RESOLVED' || topic.assignedAgent === named}
              onClick={() =>
                void claim({ input: { topicId: topic.id, agent: named } }).then((r) =>
                  report({ error: r.error, userErrors: r.data?.claimTopic.userErrors }, `Claimed by ${named}.`),
                )
              }
            >
              Claim
            </button>
            <button type="button" className="danger" disabled={busy || !named || topic.status === 'RESOLVED'} onClick={() => setConfirmResolve(true)}>
              Resolve
            </button>
          </div>
          <form onSubmit={(event) => void onReply(event)} className="action-row">
            <label htmlFor="reply-body">Reply</label>
            <textarea id="reply-body" rows={3} cols={40} maxLength={1600} value={reply} onChange={(event) => setReply(event.target.value)} />
            <button type="submit" disabled={busy || !named || !reply.trim() || topic.status === 'RESOLVED'}>
              Send reply
            </button>
          </form>
        </section>
      )}
      {confirmResolve && topic && (
        <ConfirmDialog
          title={`Resolve the conversation with ${topic.userId}?`}
          confirmLabel="Resolve"
          busy={busy}
          onCancel={() => setConfirmResolve(false)}
          onConfirm={() =>
            void resolve({ input: { topicId: topic.id, agent: named } }).then((r) => {
              setConfirmResolve(false);
              report({ error: r.error, userErrors: r.data?.resolveTopic.userErrors }, 'Resolved.');
            })
          }
        >
          <p>The topic leaves the queue; if the customer writes again on it, it reopens.</p>
        </ConfirmDialog>
      )}
      {topicId && !topicResult.fetching && !topic && !topicResult.error && <p role="status">There is no such conversation.</p>}
    </section>
  );
}
