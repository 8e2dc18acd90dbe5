import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, KnowledgeStore, WorkspaceStore } from '@continuum/data';
import { toGlobalId } from '../node/global-id';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type UserError = { code: string; field: string[] | null; message: string };
type Entry = { id: string; locale: string; questions: string[]; answer: string; intent: string | null; createdAt: string; updatedAt: string };
type Example = { id: string; locale: string; intent: string; text: string };

const USER_ERRORS = 'userErrors { code field message }';
const ENTRY = 'id locale questions answer intent createdAt updatedAt';
const SAVE = `mutation($input: SaveKnowledgeBaseEntryInput!) { saveKnowledgeBaseEntry(input: $input) { knowledgeBaseEntry { ${ENTRY} } ${USER_ERRORS} } }`;
const DELETE = `mutation($input: DeleteKnowledgeBaseEntryInput!) { deleteKnowledgeBaseEntry(input: $input) { deletedKnowledgeBaseEntryId ${USER_ERRORS} } }`;
const ADD = `mutation($input: AddIntentExamplesInput!) { addIntentExamples(input: $input) { intentExamples { id locale intent text } added ${USER_ERRORS} } }`;
const DELETE_EXAMPLE = `mutation($input: DeleteIntentExampleInput!) { deleteIntentExample(input: $input) { deletedIntentExampleId ${USER_ERRORS} } }`;
const ENTRIES = `query($locale: String, $first: Int, $after: String) { knowledgeBaseEntries(locale: $locale, first: $first, after: $after) {
  nodes { id answer } pageInfo { hasNextPage endCursor } totalCount } }`;
const EXAMPLES = `query($locale: String, $intent: MessageIntent) { intentExamples(locale: $locale, intent: $intent) { nodes { id text intent } totalCount } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on KnowledgeBaseEntry { answer } ... on IntentExample { text } } }`;

describe("GraphQL: a workspace's knowledge base and intent examples", () => {
  let gw: GatewayFixture;
  let otherKey: string;
  let store: KnowledgeStore;

  beforeAll(async () => {
    gw = await startGatewayFixture();
    const workspaces = new WorkspaceStore(gw.dataSource);
    otherKey = await workspaces.createApiKey((await workspaces.createWorkspace('knowledge-other', 'Other')).id, 'other');
    store = new KnowledgeStore(gw.dataSource);
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  async function mutate<P>(query: string, input: Record<string, unknown>, key?: string): Promise<P & { userErrors: UserError[] }> {
    const result = await gw.graphql<Record<string, P & { userErrors: UserError[] }>>(query, { input }, key);
    expect(result.errors).toBeUndefined();
    return Object.values(result.data!)[0]!;
  }

  it('adds, lists, fetches again, replaces and deletes an entry, bumping the version the workers read', async () => {
    const before = await store.version(DEFAULT_WORKSPACE_ID);
    const saved = await mutate<{ knowledgeBaseEntry: Entry }>(SAVE, {
      locale: 'pt-br',
      questions: ['  vocês entregam   nos Açores? ', 'entregam nos Açores?', 'vocês entregam nos Açores?'],
      answer: 'Sim, em 5 dias úteis.',
      intent: 'SALES',
    });
    expect(saved.userErrors).toEqual([]);
    const entry = saved.knowledgeBaseEntry;
    expect(entry).toMatchObject({ locale: 'pt-BR', questions: ['vocês entregam nos Açores?', 'entregam nos Açores?'], answer: 'Sim, em 5 dias úteis.', intent: 'SALES' });
    expect(await store.version(DEFAULT_WORKSPACE_ID)).toBeGreaterThan(before);

    const second = (await mutate<{ knowledgeBaseEntry: Entry }>(SAVE, { locale: 'en', questions: ['do you ship to the Azores'], answer: 'Yes.' })).knowledgeBaseEntry;
    expect(second.intent).toBeNull();

    const firstPage = await gw.graphql<{ knowledgeBaseEntries: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number } }>(ENTRIES, { first: 1 });
    expect(firstPage.data!.knowledgeBaseEntries).toMatchObject({ nodes: [{ id: entry.id }], pageInfo: { hasNextPage: true }, totalCount: 2 });
    const nextPage = await gw.graphql<{ knowledgeBaseEntries: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean } } }>(ENTRIES, {
      first: 1,
      after: firstPage.data!.knowledgeBaseEntries.pageInfo.endCursor,
    });
    expect(nextPage.data!.knowledgeBaseEntries).toMatchObject({ nodes: [{ id: second.id }], pageInfo: { hasNextPage: false } });
    expect((await gw.graphql<{ knowledgeBaseEntries: { totalCount: number } }>(ENTRIES, { locale: 'en' })).data!.knowledgeBaseEntries.totalCount).toBe(1);
    expect((await gw.graphql(NODE, { id: entry.id })).data).toEqual({ node: { __typename: 'KnowledgeBaseEntry', id: entry.id, answer: 'Sim, em 5 dias úteis.' } });

    const replaced = await mutate<{ knowledgeBaseEntry: Entry }>(SAVE, { id: entry.id, locale: 'pt-BR', questions: ['entregam nos Açores?'], answer: 'Sim, em 3 dias úteis.', intent: null });
    expect(replaced.knowledgeBaseEntry).toMatchObject({ id: entry.id, questions: ['entregam nos Açores?'], answer: 'Sim, em 3 dias úteis.', intent: null, createdAt: entry.createdAt });

    expect(await mutate(DELETE, { id: entry.id })).toEqual({ deletedKnowledgeBaseEntryId: entry.id, userErrors: [] });
    expect((await gw.graphql(NODE, { id: entry.id })).data).toEqual({ node: null });
    expect(await mutate(DELETE, { id: entry.id })).toMatchObject({ deletedKnowledgeBaseEntryId: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'] }] });
  });

  it("never shows or changes another workspace's entries and examples", async () => {
    const entry = (await mutate<{ knowledgeBaseEntry: Entry }>(SAVE, { locale: 'es', questions: ['¿envían a Canarias?'], answer: 'Sí.' })).knowledgeBaseEntry;
    const [example] = (await mutate<{ intentExamples: Example[] }>(ADD, { locale: 'es', intent: 'SALES', texts: ['quiero un zorbex'] })).intentExamples;

    expect((await gw.graphql(NODE, { id: entry.id }, otherKey)).data).toEqual({ node: null });
    expect((await gw.graphql(NODE, { id: example!.id }, otherKey)).data).toEqual({ node: null });
    expect((await gw.graphql<{ knowledgeBaseEntries: { totalCount: number } }>(ENTRIES, {}, otherKey)).data!.knowledgeBaseEntries.totalCount).toBe(0);
    expect((await gw.graphql<{ intentExamples: { totalCount: number } }>(EXAMPLES, {}, otherKey)).data!.intentExamples.totalCount).toBe(0);
    expect(await mutate(SAVE, { id: entry.id, locale: 'es', questions: ['x'], answer: 'y' }, otherKey)).toMatchObject({ userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'] }] });
    expect(await mutate(DELETE, { id: entry.id }, otherKey)).toMatchObject({ userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'] }] });
    expect(await mutate(DELETE_EXAMPLE, { id: example!.id }, otherKey)).toMatchObject({ userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'] }] });
    expect((await gw.graphql(NODE, { id: entry.id })).data).toMatchObject({ node: { answer: 'Sí.' } });
  });

  it('adds examples once per text, lists them by locale and intent, and deletes one', async () => {
    const first = await mutate<{ intentExamples: Example[]; added: number }>(ADD, { locale: 'en', intent: 'SUPPORT', texts: ['my zorbex beeps', ' my zorbex  beeps ', 'the zorbex will not start'] });
    expect(first.userErrors).toEqual([]);
    expect(first.added).toBe(2);
    expect(first.intentExamples.map((example) => [example.locale, example.intent, example.text])).toEqual([
      ['en', 'SUPPORT', 'my zorbex beeps'],
      ['en', 'SUPPORT', 'the zorbex will not start'],
    ]);
    const again = await mutate<{ intentExamples: Example[]; added: number }>(ADD, { locale: 'en', intent: 'SUPPORT', texts: ['the zorbex will not start', 'zorbex error 7'] });
    expect(again.added).toBe(1);
    expect(again.intentExamples[0]!.id).toBe(first.intentExamples[1]!.id);

    const listed = await gw.graphql<{ intentExamples: { nodes: Array<{ text: string }>; totalCount: number } }>(EXAMPLES, { locale: 'en', intent: 'SUPPORT' });
    expect(listed.data!.intentExamples.nodes.map((node) => node.text)).toEqual(['my zorbex beeps', 'the zorbex will not start', 'zorbex error 7']);
    expect(listed.data!.intentExamples.totalCount).toBe(3);

    const gone = first.intentExamples[0]!.id;
    expect(await mutate(DELETE_EXAMPLE, { id: gone })).toEqual({ deletedIntentExampleId: gone, userErrors: [] });
    expect((await gw.graphql<{ intentExamples: { totalCount: number } }>(EXAMPLES, { locale: 'en', intent: 'SUPPORT' })).data!.intentExamples.totalCount).toBe(2);
  });

  it.each([
    ['a locale not supported', SAVE, { locale: 'fr', questions: ['q'], answer: 'a' }, ['input', 'locale']],
    ['an empty question', SAVE, { locale: 'en', questions: ['fine', '   '], answer: 'a' }, ['input', 'questions', '1']],
    ['no question', SAVE, { locale: 'en', questions: [], answer: 'a' }, ['input', 'questions']],
    ['too long an answer', SAVE, { locale: 'en', questions: ['q'], answer: 'a'.repeat(2_001) }, ['input', 'answer']],
    ['UNKNOWN as the intent', SAVE, { locale: 'en', questions: ['q'], answer: 'a', intent: 'UNKNOWN' }, ['input', 'intent']],
    ["another type's id", SAVE, { id: toGlobalId('ConversationTopic', '00000000-0000-4000-8000-000000000001'), locale: 'en', questions: ['q'], answer: 'a' }, ['input', 'id']],
    ['not an id at all', DELETE, { id: 'nope!' }, ['input', 'id']],
    ['UNKNOWN examples', ADD, { locale: 'en', intent: 'UNKNOWN', texts: ['x'] }, ['input', 'intent']],
    ['too many examples', ADD, { locale: 'es', intent: 'SALES', texts: Array.from({ length: 101 }, (_, i) => `ejemplo ${i}`) }, ['input', 'texts']],
    ['too long an example', ADD, { locale: 'es', intent: 'SALES', texts: ['ok', 'x'.repeat(301)] }, ['input', 'texts', '1']],
  ])('refuses %s with an INVALID user error naming the field, changing nothing', async (_case, query, input, field) => {
    const before = await store.version(DEFAULT_WORKSPACE_ID);
    const payload = await mutate<Record<string, unknown>>(query, input);
    expect(payload.userErrors).toEqual([{ code: 'INVALID', field, message: expect.stringContaining(field.slice(1).join('.')) }]);
    expect(Object.entries(payload).filter(([key]) => key !== 'userErrors').every(([, value]) => value === null)).toBe(true);
    expect(await store.version(DEFAULT_WORKSPACE_ID)).toBe(before);
  });

  it("refuses what would pass a workspace's bounds (1,000 entries, 10,000 examples) with FAILED_PRECONDITION", async () => {
    const workspaces = new WorkspaceStore(gw.dataSource);
    const full = (await workspaces.createWorkspace('knowledge-full', 'Full')).id;
    const fullKey = await workspaces.createApiKey(full, 'full');
    await gw.dataSource.query(
      `INSERT INTO knowledge_base_entries (id, workspace_id, locale, questions, answer) SELECT gen_random_uuid(), $1, 'en', ARRAY['question ' || n], 'answer' FROM generate_series(1, 1000) AS n`,
      [full],
    );
    await gw.dataSource.query(
      `INSERT INTO intent_examples (id, workspace_id, locale, intent, text) SELECT gen_random_uuid(), $1, 'en', 'sales', 'example ' || n FROM generate_series(1, 9999) AS n`,
      [full],
    );
    expect(await mutate(SAVE, { locale: 'en', questions: ['one more?'], answer: 'no' }, fullKey)).toMatchObject({
      knowledgeBaseEntry: null,
      userErrors: [{ code: 'FAILED_PRECONDITION', field: null, message: expect.stringContaining('1,000') }],
    });
    expect(await mutate(ADD, { locale: 'en', intent: 'SALES', texts: ['two', 'more'] }, fullKey)).toMatchObject({
      intentExamples: null,
      userErrors: [{ code: 'FAILED_PRECONDITION', field: ['input', 'texts'], message: expect.stringContaining('room for 1 more') }],
    });
    expect(await mutate(ADD, { locale: 'en', intent: 'SALES', texts: ['one'] }, fullKey)).toMatchObject({ added: 1, userErrors: [] });
  });

  it('answers a bad locale filter with BAD_USER_INPUT naming it', async () => {
    const result = await gw.graphql(ENTRIES, { locale: 'klingon' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'locale' });
  });
});
