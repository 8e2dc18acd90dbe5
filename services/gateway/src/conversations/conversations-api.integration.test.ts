import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConversationStore, DEFAULT_WORKSPACE_ID, WorkspaceStore } from '@continuum/data';
import { toGlobalId } from '../node/global-id';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type UserError = { code: string; field: string[] | null; message: string };
type GqlError = { message: string; extensions?: { code?: string; field?: string } };

const USER_ERRORS = 'userErrors { code field message }';
const CLAIM = `mutation($input: ClaimTopicInput!) { claimTopic(input: $input) { topic { id status assignedAgent } ${USER_ERRORS} } }`;
const REPLY = `mutation($input: ReplyToTopicInput!) { replyToTopic(input: $input) { message { id } topic { id } ${USER_ERRORS} } }`;
const RESOLVE = `mutation($input: ResolveTopicInput!) { resolveTopic(input: $input) { topic { id } ${USER_ERRORS} } }`;
const HAND_BACK = `mutation($input: HandBackTopicInput!) { handBackTopic(input: $input) { topic { id } ${USER_ERRORS} } }`;
const POST = `mutation($input: PostInAppMessageInput!) { postInAppMessage(input: $input) { conversationMessageId duplicate ${USER_ERRORS} } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on ConversationTopic { userId intent status channel customer { userId } messages(first: 10) { nodes { id body } totalCount } }
  ... on ConversationMessage { body direction messageIntent: intent replyStatus: status deliveryStatus topic { id } }
  ... on Conversation { userId customer { userId } topics { nodes { id } } messages(last: 1) { nodes { body } } }
} }`;

// The agents' API on the gateway alone (no worker): topics and messages written as the conversation activity writes them.
describe('conversations: nodes, relations and the user errors of the agent actions', () => {
  let gw: GatewayFixture;
  let otherKey: string;
  const topic = (id: string) => toGlobalId('ConversationTopic', id);
  const ids = { automated: randomUUID(), queued: randomUUID(), stray: randomUUID() };
  const at = (minute: number) => new Date(Date.parse('2026-05-01T09:00:00.000Z') + minute * 60_000).toISOString();

  beforeAll(async () => {
    gw = await startGatewayFixture();
    const workspaces = new WorkspaceStore(gw.dataSource);
    otherKey = await workspaces.createApiKey((await workspaces.createWorkspace('conversations-other', 'Other')).id, 'other');
    expect((await gw.graphql(`mutation { identify(input: { userId: "cv-ana", traits: { first_name: "Ana" } }) { duplicate } }`)).errors).toBeUndefined();
    const base = { workspaceId: DEFAULT_WORKSPACE_ID, channel: 'sms' as const, lastMessageAt: at(5), reopened: 0, facts: {} };
    await new ConversationStore(gw.dataSource).record({
      topics: [
        { ...base, id: ids.automated, customerId: 'cv-ana', intent: 'returns', status: 'automated', openedAt: at(0) },
        { ...base, id: ids.queued, customerId: 'cv-ana', intent: 'support', status: 'human', openedAt: at(1), escalatedAt: at(2), escalationReason: 'asked-for-person' },
        // A customer who never identified: no profile.
        { ...base, id: ids.stray, customerId: 'cv-stranger', intent: 'sales', status: 'human', openedAt: at(1), escalatedAt: at(3), escalationReason: 'keyword:procon' },
      ],
      messages: [
        { id: 'cv-in-1', workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'cv-ana', topicId: ids.automated, direction: 'in', author: 'customer', channel: 'sms', body: 'my return', intent: 'returns', at: at(0) },
        { id: 'cv-in-3', workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'cv-ana', topicId: ids.queued, direction: 'in', author: 'customer', channel: 'sms', body: 'a person please', intent: 'human', at: at(3) },
        { id: 'cv-in-2', workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'cv-ana', topicId: null, direction: 'in', author: 'customer', channel: 'sms', body: 'STOP', at: at(4) },
      ],
    });
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  async function payload(query: string, input: Record<string, unknown>): Promise<Record<string, unknown> & { userErrors: UserError[] }> {
    const result = await gw.graphql<Record<string, Record<string, unknown> & { userErrors: UserError[] }>>(query, { input });
    expect(result.errors).toBeUndefined();
    return Object.values(result.data!)[0]!;
  }

  it('fetches a topic, a message and a conversation again by global id, with their relations, and nothing from another workspace', async () => {
    const found = await gw.graphql<{ node: Record<string, unknown> }>(NODE, { id: topic(ids.automated) });
    expect(found.errors).toBeUndefined();
    expect(found.data!.node).toEqual({
      __typename: 'ConversationTopic',
      id: topic(ids.automated),
      userId: 'cv-ana',
      intent: 'RETURNS',
      status: 'AUTOMATED',
      channel: 'SMS',
      customer: { userId: 'cv-ana' },
      messages: { nodes: [{ id: toGlobalId('ConversationMessage', 'cv-in-1'), body: 'my return' }], totalCount: 1 },
    });
    expect((await gw.graphql<{ node: unknown }>(NODE, { id: toGlobalId('ConversationMessage', 'cv-in-1') })).data!.node).toEqual({
      __typename: 'ConversationMessage',
      id: toGlobalId('ConversationMessage', 'cv-in-1'),
      body: 'my return',
      direction: 'IN',
      messageIntent: 'RETURNS',
      replyStatus: null,
      deliveryStatus: null,
      topic: { id: topic(ids.automated) },
    });
    expect((await gw.graphql<{ node: { topic: unknown } }>(NODE, { id: toGlobalId('ConversationMessage', 'cv-in-2') })).data!.node.topic).toBeNull();
    expect((await gw.graphql<{ node: unknown }>(NODE, { id: toGlobalId('Conversation', 'cv-ana') })).data!.node).toEqual({
      __typename: 'Conversation',
      id: toGlobalId('Conversation', 'cv-ana'),
      userId: 'cv-ana',
      customer: { userId: 'cv-ana' },
      topics: { nodes: [{ id: topic(ids.queued) }, { id: topic(ids.automated) }] },
      messages: { nodes: [{ body: 'STOP' }] },
    });
    for (const id of [topic(ids.automated), toGlobalId('ConversationMessage', 'cv-in-1'), toGlobalId('Conversation', 'cv-ana')]) {
      expect((await gw.graphql(NODE, { id }, otherKey)).data).toEqual({ node: null });
    }
    // A customer without a conversation has none; a customer without a profile has a conversation without a customer.
    expect((await gw.graphql(NODE, { id: toGlobalId('Conversation', 'cv-nobody') })).data).toEqual({ node: null });
    expect((await gw.graphql(`query { conversation(userId: "cv-nobody") { id } }`)).data).toEqual({ conversation: null });
    const stranger = await gw.graphql<{ conversation: unknown }>(`query { conversation(userId: "cv-stranger") { userId customer { userId } } }`);
    expect(stranger.data!.conversation).toEqual({ userId: 'cv-stranger', customer: null });
  });

  it("reads the topics of a page's messages in one query", async () => {
    const store = gw.app.get(ConversationStore, { strict: false });
    const read = vi.spyOn(store, 'topicsByIds');
    try {
      const page = await gw.graphql<{ conversation: { messages: { nodes: Array<{ topic: { id: string } | null }> } } }>(
        `query { conversation(userId: "cv-ana") { messages { nodes { topic { id } } } } }`,
      );
      expect(page.data!.conversation.messages.nodes).toEqual([{ topic: { id: topic(ids.automated) } }, { topic: { id: topic(ids.queued) } }, { topic: null }]);
      expect(read).toHaveBeenCalledTimes(1);
      expect([...read.mock.calls[0]![1]].sort()).toEqual([ids.automated, ids.queued].sort());
    } finally {
      read.mockRestore();
    }
  });

  it('looks a topic up by global id: null when there is none, BAD_USER_INPUT naming id for a string that is no topic id', async () => {
    expect((await gw.graphql(`query($id: ID!) { topic(id: $id) { id } }`, { id: topic(randomUUID()) })).data).toEqual({ topic: null });
    expect((await gw.graphql(`query($id: ID!) { topic(id: $id) { id } }`, { id: topic(ids.queued) }, otherKey)).data).toEqual({ topic: null });
    const bad = await gw.graphql(`query($id: ID!) { topic(id: $id) { id } }`, { id: toGlobalId('Profile', 'cv-ana') });
    expect((bad.errors as GqlError[])[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  });

  it('lists the agent queue with each topic’s customer, and counts only when asked', async () => {
    const store = gw.app.get(ConversationStore, { strict: false });
    const count = vi.spyOn(store, 'countQueue');
    try {
      const queue = await gw.graphql<{ agentQueue: { nodes: Array<{ id: string; customer: { userId: string } | null }> } }>(
        `query { agentQueue { nodes { id escalationReason escalationKeyword customer { userId } } } }`,
      );
      expect(queue.data!.agentQueue.nodes).toEqual([
        { id: topic(ids.queued), escalationReason: 'ASKED_FOR_PERSON', escalationKeyword: null, customer: { userId: 'cv-ana' } },
        { id: topic(ids.stray), escalationReason: 'KEYWORD', escalationKeyword: 'procon', customer: null },
      ]);
      expect(count).not.toHaveBeenCalled();
      expect((await gw.graphql<{ agentQueue: { totalCount: number } }>(`query { agentQueue(state: CLAIMED) { totalCount } }`)).data!.agentQueue.totalCount).toBe(0);
      expect(count).toHaveBeenCalledTimes(1);
    } finally {
      count.mockRestore();
    }
  });

  it('answers each agent action on a topic in the wrong state, unknown or malformed with a user error on its input field', async () => {
    const unknown = topic(randomUUID());
    const cases: Array<[string, string, Record<string, unknown>, Partial<UserError>]> = [
      ['claim, not a topic id', CLAIM, { topicId: 'nope', agent: 'maria' }, { code: 'INVALID', field: ['input', 'topicId'] }],
      ['claim, a profile id', CLAIM, { topicId: toGlobalId('Profile', 'cv-ana'), agent: 'maria' }, { code: 'INVALID', field: ['input', 'topicId'] }],
      ['claim, unknown', CLAIM, { topicId: unknown, agent: 'maria' }, { code: 'NOT_FOUND', field: ['input', 'topicId'] }],
      ['claim, automated', CLAIM, { topicId: topic(ids.automated), agent: 'maria' }, { code: 'FAILED_PRECONDITION', field: ['input', 'topicId'] }],
      ['claim, bad agent', CLAIM, { topicId: topic(ids.queued), agent: 'maria/../x' }, { code: 'INVALID', field: ['input', 'agent'] }],
      ['reply, empty body', REPLY, { topicId: topic(ids.queued), agent: 'maria', body: '  ' }, { code: 'INVALID', field: ['input', 'body'] }],
      ['reply, too long', REPLY, { topicId: topic(ids.queued), agent: 'maria', body: 'x'.repeat(1_601) }, { code: 'INVALID', field: ['input', 'body'] }],
      ['reply, not held', REPLY, { topicId: topic(ids.queued), agent: 'maria', body: 'hi' }, { code: 'FAILED_PRECONDITION', field: ['input', 'topicId'] }],
      ['reply, automated', REPLY, { topicId: topic(ids.automated), agent: 'maria', body: 'hi' }, { code: 'FAILED_PRECONDITION', field: ['input', 'topicId'] }],
      ['hand back, automated', HAND_BACK, { topicId: topic(ids.automated), agent: 'maria' }, { code: 'FAILED_PRECONDITION', field: ['input', 'topicId'] }],
      ['resolve, unknown', RESOLVE, { topicId: unknown, agent: 'maria' }, { code: 'NOT_FOUND', field: ['input', 'topicId'] }],
      ['post, empty body', POST, { userId: 'cv-ana', body: ' ' }, { code: 'INVALID', field: ['input', 'body'] }],
      ['post, bad client id', POST, { userId: 'cv-ana', body: 'hi', clientMessageId: 'a b' }, { code: 'INVALID', field: ['input', 'clientMessageId'] }],
      ['post, empty userId', POST, { userId: '', body: 'hi' }, { code: 'INVALID', field: ['input', 'userId'] }],
    ];
    for (const [what, query, input, expected] of cases) {
      const result = await payload(query, input);
      expect(result.userErrors, what).toEqual([expect.objectContaining(expected)]);
      expect(Object.entries(result).filter(([key, value]) => key !== 'userErrors' && value !== null), what).toEqual([]);
    }

    // One person holds a topic; another cannot take it nor resolve it.
    const claimed = await payload(CLAIM, { topicId: topic(ids.queued), agent: 'maria' });
    expect(claimed).toEqual({ topic: { id: topic(ids.queued), status: 'HUMAN', assignedAgent: 'maria' }, userErrors: [] });
    expect((await payload(CLAIM, { topicId: topic(ids.queued), agent: 'joao' })).userErrors).toEqual([
      { code: 'CONFLICT', field: ['input', 'topicId'], message: `Topic ${topic(ids.queued)} is already claimed by maria` },
    ]);
    expect((await payload(RESOLVE, { topicId: topic(ids.queued), agent: 'joao' })).userErrors).toMatchObject([{ code: 'FAILED_PRECONDITION', field: ['input', 'topicId'] }]);
    // Held by maria, but no conversation workflow runs for it here: the action cannot happen.
    expect((await payload(REPLY, { topicId: topic(ids.queued), agent: 'maria', body: 'hi' })).userErrors).toMatchObject([
      { code: 'FAILED_PRECONDITION', field: ['input', 'topicId'], message: expect.stringContaining('is not running') },
    ]);
  });

  it('accepts an in-app message once per clientMessageId, naming the conversation message it becomes', async () => {
    const posted = await payload(POST, { userId: 'cv-ana', body: 'hello', clientMessageId: 'cv-chat-1' });
    expect(posted).toEqual({ conversationMessageId: toGlobalId('ConversationMessage', 'in_app:cv-chat-1'), duplicate: false, userErrors: [] });
    expect(await payload(POST, { userId: 'cv-ana', body: 'hello', clientMessageId: 'cv-chat-1' })).toMatchObject({ duplicate: true, userErrors: [] });
  });

  it('refuses any cursor it did not hand out with BAD_USER_INPUT naming after or before, whichever it came in', async () => {
    const notACursor = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.json({ maxDepth: 2 }).map((json) => Buffer.from(json, 'utf8').toString('base64')),
      fc.record({ at: fc.string({ maxLength: 30 }), id: fc.string({ maxLength: 10 }) }).map((position) => Buffer.from(JSON.stringify(position), 'utf8').toString('base64')),
    );
    await fc.assert(
      fc.asyncProperty(notACursor, fc.boolean(), async (cursor, backward) => {
        const argument = backward ? 'before' : 'after';
        const result = await gw.graphql(`query($cursor: String) { conversation(userId: "cv-ana") { messages(${backward ? 'last: 2, before' : 'first: 2, after'}: $cursor) { totalCount } } }`, { cursor });
        expect((result.errors as GqlError[] | undefined)?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: argument });
      }),
      { numRuns: 40 },
    );
  });

  it('refuses any topicId that is not the global id of a topic with one INVALID user error on input.topicId, changing nothing', async () => {
    const notATopicId = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ minLength: 1, maxLength: 20 }).map((local) => toGlobalId('Profile', local)),
      fc.string({ minLength: 1, maxLength: 20 }).filter((local) => !local.includes(':')).map((local) => Buffer.from(`ConversationTopic${local}`).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(notATopicId, fc.constantFrom(CLAIM, RESOLVE, HAND_BACK), async (topicId, mutation) => {
        const result = await payload(mutation, { topicId, agent: 'maria' });
        expect(result.userErrors).toHaveLength(1);
        expect(result.userErrors[0]).toMatchObject({ code: 'INVALID', field: ['input', 'topicId'] });
        expect(result['topic']).toBeNull();
      }),
      { numRuns: 40 },
    );
    const [row]: Array<{ assigned: string | null }> = await gw.dataSource.query(`SELECT assigned_agent AS assigned FROM conversation_topics WHERE id = $1`, [ids.stray]);
    expect(row!.assigned).toBeNull();
  });
});
