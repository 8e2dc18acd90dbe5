import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Version = { id: string; version: number; locale: string; channel: string; body: string; createdBy: string };
type Page<N> = { edges: Array<{ cursor: string; node: N }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; totalCount: number };
type Template = { id: string; name: string; locale: string; latest: Version; versions: Page<Pick<Version, 'id' | 'version' | 'body'>> };
type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;
type Published = { publishTemplate: { template: Template | null; version: Version | null; userErrors: UserErrors } };

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const FIELDS = `id name locale latest { id version locale channel body createdBy } versions(first: 100) { edges { cursor node { id version body } } ${PAGE_INFO} }`;
const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { ${FIELDS} } version { id version locale channel body createdBy } userErrors { code field message } } }`;
const LIST = `query($name: String, $first: Int, $after: String, $last: Int, $before: String) {
  templates(name: $name, first: $first, after: $after, last: $last, before: $before) { edges { cursor node { id name locale latest { version } } } ${PAGE_INFO} }
}`;
const PREVIEW = `query($name: String!, $locale: String, $payload: JSONObject!) {
  previewTemplate(name: $name, locale: $locale, payload: $payload) { text locale version channel }
}`;

describe('templates over GraphQL (gateway, real PostgreSQL)', () => {
  let gateway: GatewayFixture;
  beforeAll(async () => {
    gateway = await startGatewayFixture();
  });
  afterAll(async () => {
    await gateway?.teardown();
  });

  const publish = async (input: Record<string, unknown>) => {
    const result = await gateway.graphql<Published>(PUBLISH, { input: { channel: 'SMS', ...input } });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.publishTemplate;
  };
  const list = async (variables: Record<string, unknown>) => {
    const result = await gateway.graphql<{ templates: Page<{ id: string; name: string; locale: string; latest: { version: number } }> }>(LIST, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.templates;
  };
  const preview = (variables: Record<string, unknown>) =>
    gateway.graphql<{ previewTemplate: { text: string; locale: string; version: number } }>(PREVIEW, { name: 'welcome', ...variables });
  const ana = { profile: { traits: { first_name: 'Ana' } } };

  it('publishes versions per locale: a new body is the next version, the old one is kept, the same body adds none', async () => {
    const first = await publish({ name: 'welcome', body: 'Welcome, {{ profile.traits.first_name }}!' });
    expect(first.userErrors).toEqual([]);
    expect(first.version).toMatchObject({ version: 1, locale: 'default', channel: 'SMS', createdBy: expect.stringMatching(/^api-key:/) });
    expect(first.template?.latest).toEqual(first.version);
    await publish({ name: 'welcome', locale: 'pt', body: 'Bem-vindo, {{ profile.traits.first_name }}!' });
    const second = await publish({ name: 'welcome', locale: 'pt', body: 'Boas-vindas, {{ profile.traits.first_name }}!' });
    expect(second.template!.versions.edges.map((e) => e.node.version)).toEqual([2, 1]);
    expect(second.template!.versions.totalCount).toBe(2);
    const same = await publish({ name: 'welcome', locale: 'pt', body: 'Boas-vindas, {{ profile.traits.first_name }}!' });
    expect(same.version).toEqual(second.version);
    expect(same.template!.id).toBe(second.template!.id);

    const listed = await list({ name: 'welcome' });
    expect(listed.edges.map((e) => [e.node.locale, e.node.latest.version])).toEqual([
      ['default', 1],
      ['pt', 2],
    ]);
    expect(listed.totalCount).toBe(2);
  });

  it('gives templates and versions global ids that node(id:) and nodes(ids:) fetch again; a version id is not a template id', async () => {
    const { template, version } = await publish({ name: 'node-test', locale: 'pt-BR', body: 'Oi' });
    const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on MessageTemplate { name locale latest { version } } ... on MessageTemplateVersion { name version body template { id } } } }`;
    const fetched = await gateway.graphql<{ nodes: unknown[] }>(NODES, { ids: [template!.id, version!.id] });
    expect(fetched.errors).toBeUndefined();
    expect(fetched.data!.nodes).toEqual([
      { __typename: 'MessageTemplate', id: template!.id, name: 'node-test', locale: 'pt-BR', latest: { version: 1 } },
      { __typename: 'MessageTemplateVersion', id: version!.id, name: 'node-test', version: 1, body: 'Oi', template: { id: template!.id } },
    ]);
    expect(template!.id).not.toBe(version!.id);
    // Another workspace's caller sees neither.
    const workspaces = new WorkspaceStore(gateway.dataSource);
    const otherKey = await workspaces.createApiKey((await workspaces.createWorkspace('templates-other', 'Other')).id, 'test');
    const elsewhere = await gateway.graphql<{ nodes: unknown[] }>(NODES, { ids: [template!.id, version!.id] }, otherKey);
    expect(elsewhere.data!.nodes).toEqual([null, null]);
  });

  it('pages templates forward and backward by (name, locale), and versions newest first, with totalCount', async () => {
    for (const locale of ['default', 'de', 'en', 'fr']) await publish({ name: 'paged', locale, body: `Hi ${locale}` });
    for (let v = 2; v <= 5; v++) await publish({ name: 'paged', locale: 'en', body: `Hi en v${v}` });

    const first = await list({ name: 'paged', first: 3 });
    expect(first.edges.map((e) => e.node.locale)).toEqual(['de', 'default', 'en']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.totalCount).toBe(4);
    const next = await list({ name: 'paged', first: 3, after: first.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.locale)).toEqual(['fr']);
    expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = await list({ name: 'paged', last: 2, before: next.pageInfo.startCursor });
    expect(back.edges.map((e) => e.node.locale)).toEqual(['default', 'en']);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect((await list({ name: 'paged', last: 1 })).edges.map((e) => [e.node.locale, e.node.latest.version])).toEqual([['fr', 1]]);

    const VERSIONS = `query($first: Int, $after: String, $last: Int, $before: String) {
      templates(name: "paged", first: 1, after: ${JSON.stringify(first.edges[1]!.cursor)}) { nodes { locale versions(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { version } } ${PAGE_INFO} } } }
    }`;
    const versions = async (variables: Record<string, unknown>) => {
      const result = await gateway.graphql<{ templates: { nodes: Array<{ locale: string; versions: Page<{ version: number }> }> } }>(VERSIONS, variables);
      expect(result.errors).toBeUndefined();
      expect(result.data!.templates.nodes[0]!.locale).toBe('en');
      return result.data!.templates.nodes[0]!.versions;
    };
    const newest = await versions({ first: 2 });
    expect(newest.edges.map((e) => e.node.version)).toEqual([5, 4]);
    expect(newest.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(newest.totalCount).toBe(5);
    const older = await versions({ first: 10, after: newest.pageInfo.endCursor });
    expect(older.edges.map((e) => e.node.version)).toEqual([3, 2, 1]);
    expect(older.pageInfo.hasNextPage).toBe(false);
    const backward = await versions({ last: 2, before: older.pageInfo.startCursor });
    expect(backward.edges.map((e) => e.node.version)).toEqual([5, 4]);
    expect(backward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const badCursor = await gateway.graphql(VERSIONS, { first: 1, after: 'nope' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('previews with locale fallback pt-BR → pt → default, using the latest version', async () => {
    expect((await preview({ locale: 'pt-BR', payload: ana })).data?.previewTemplate).toEqual({ text: 'Boas-vindas, Ana!', locale: 'pt', version: 2, channel: 'SMS' });
    expect((await preview({ locale: 'pt_br', payload: ana })).data?.previewTemplate).toMatchObject({ locale: 'pt' });
    expect((await preview({ locale: 'fr-FR', payload: ana })).data?.previewTemplate).toMatchObject({ text: 'Welcome, Ana!', locale: 'default', version: 1 });
    expect((await preview({ payload: ana })).data?.previewTemplate).toMatchObject({ locale: 'default' });
  });

  it('answers a missing variable with BAD_USER_INPUT naming it, and an unknown template with NOT_FOUND', async () => {
    const missing = await preview({ locale: 'pt-BR', payload: { profile: { traits: {} } } });
    expect(missing.errors?.[0]).toMatchObject({
      message: 'payload: template "welcome" v2 (pt): undefined variable: profile.traits.first_name, line:1, col:17',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const unknown = await gateway.graphql(PREVIEW, { name: 'nope', locale: 'pt-BR', payload: {} });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'no template "nope" for locale pt-BR (tried pt-BR, pt, default)', extensions: { code: 'NOT_FOUND' } });
  });

  it('refuses a Liquid syntax error (with its position), a bad name, locale or channel at publish with an INVALID user error on the input field', async () => {
    const cases: Array<[Record<string, unknown>, string[], RegExp]> = [
      [{ name: 'welcome', body: 'Hi {% if profile.traits.vip %}VIP' }, ['input', 'body'], /^body: Liquid syntax error: tag {% if profile\.traits\.vip %} not closed, line:1, col:4/],
      [{ name: 'welcome', body: 'Hi {{ name | shout }}' }, ['input', 'body'], /undefined filter: shout/],
      [{ name: 'welcome', body: '  ' }, ['input', 'body'], /must not be empty/],
      [{ name: 'Welcome Back', body: 'Hi' }, ['input', 'name'], /^name: "Welcome Back" is not a template name/],
      [{ name: 'welcome', locale: 'portuguese', body: 'Hi' }, ['input', 'locale'], /^locale: "portuguese" is not a locale/],
      [{ name: 'welcome', channel: 'MMS', body: 'Hi' }, ['input', 'channel'], /an MMS send uses the SMS template/],
    ];
    for (const [input, field, message] of cases) {
      const payload = await publish(input);
      expect(payload, JSON.stringify(input)).toMatchObject({ template: null, version: null, userErrors: [{ code: 'INVALID', field }] });
      expect(payload.userErrors[0]!.message).toMatch(message);
    }
    // A channel outside the enum is a GraphQL validation error before the resolver runs.
    const fax = await gateway.graphql(PUBLISH, { input: { name: 'welcome', channel: 'FAX', body: 'Hi' } });
    expect(fax.errors?.[0]?.message).toMatch(/Channel/);
    expect((await list({ name: 'welcome' })).edges.map((e) => e.node.latest.version)).toEqual([1, 2]);
  });

  it('answers any body with a published version or one INVALID user error on ["input", "body"], never a GraphQL error (property)', async () => {
    const fragment = fc.constantFrom('{{', '}}', '{%', '%}', ' if ', 'endif', ' for x in y ', 'endfor', '|', ' upcase', 'profile.traits.a', '\n', 'é', ' ');
    // (A NUL anywhere in the variables is refused for the whole request before any resolver runs.)
    const body = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }).filter((text) => !text.includes('\u0000')),
      fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const payload = await publish({ name: 'prop-body', body: text });
        if (payload.userErrors.length === 0) {
          expect(payload.version?.body).toBe(text);
        } else {
          expect(payload.template).toBeNull();
          expect(payload.userErrors).toHaveLength(1);
          expect(payload.userErrors[0]).toMatchObject({ code: 'INVALID', field: ['input', 'body'], message: expect.stringMatching(/^body: /) });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('previews a draft body without storing it: the version publishing would make, refusals as publishTemplate\'s, naming the argument', async () => {
    const DRAFT = `query($name: String!, $locale: String, $channel: Channel!, $body: String!, $payload: JSONObject!) {
      previewTemplateDraft(name: $name, locale: $locale, channel: $channel, body: $body, payload: $payload) { text locale version channel }
    }`;
    const draft = (variables: Record<string, unknown>) =>
      gateway.graphql<{ previewTemplateDraft: { text: string; locale: string; version: number; channel: string } }>(DRAFT, { name: 'welcome', channel: 'SMS', payload: ana, ...variables });
    const before = (await list({ name: 'welcome' })).edges.map((e) => e.node.latest.version);
    expect((await draft({ locale: 'pt', body: 'Olá de novo, {{ profile.traits.first_name }}!' })).data?.previewTemplateDraft).toEqual({
      text: 'Olá de novo, Ana!',
      locale: 'pt',
      version: 3,
      channel: 'SMS',
    });
    // The latest body unchanged: the version it already is. A template that does not exist yet: version 1.
    const latestPt = (await gateway.graphql<{ templates: { nodes: Array<{ locale: string; latest: { body: string; version: number } }> } }>(
      `{ templates(name: "welcome") { nodes { locale latest { body version } } } }`,
    )).data!.templates.nodes.find((t) => t.locale === 'pt')!.latest;
    expect((await draft({ locale: 'pt', body: latestPt.body })).data?.previewTemplateDraft.version).toBe(latestPt.version);
    expect((await draft({ name: 'brand-new', channel: 'EMAIL', body: 'Hello {{ profile.traits.first_name | upcase }}' })).data?.previewTemplateDraft).toEqual({
      text: 'Hello ANA',
      locale: 'default',
      version: 1,
      channel: 'EMAIL',
    });
    // Nothing was stored.
    expect((await list({ name: 'welcome' })).edges.map((e) => e.node.latest.version)).toEqual(before);
    expect((await list({ name: 'brand-new' })).totalCount).toBe(0);

    const refusals: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ body: 'Hi {% if profile.traits.vip %}VIP' }, 'body', /^body: Liquid syntax error: tag {% if profile\.traits\.vip %} not closed/],
      [{ body: ' ' }, 'body', /must not be empty/],
      [{ body: 'x'.repeat(20_001) }, 'body', /at most 20000 characters/],
      [{ name: 'Not A Name', body: 'Hi' }, 'name', /is not a template name/],
      [{ locale: 'portuguese', body: 'Hi' }, 'locale', /is not a locale/],
      [{ channel: 'MMS', body: 'Hi' }, 'channel', /an MMS send uses the SMS template/],
      [{ body: 'Hi {{ profile.traits.nickname }}' }, 'payload', /undefined variable: profile\.traits\.nickname/],
    ];
    for (const [variables, field, message] of refusals) {
      const result = await draft(variables);
      expect(result.data, JSON.stringify(variables).slice(0, 80)).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(result.errors?.[0]?.message).toMatch(message);
    }
  });

  it('previews any draft body as its text or one BAD_USER_INPUT naming body or payload, never another error (property)', async () => {
    const fragment = fc.constantFrom('{{', '}}', '{%', '%}', ' if ', 'endif', '|', ' upcase', 'profile.traits.first_name', 'profile.traits.a', '\n', 'é', ' ', 'x');
    const body = fc.oneof(fc.string({ maxLength: 40 }), fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')));
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const result = await gateway.graphql<{ previewTemplateDraft: { text: string } }>(
          `query($body: String!, $payload: JSONObject!) { previewTemplateDraft(name: "prop-draft", channel: SMS, body: $body, payload: $payload) { text } }`,
          { body: text, payload: ana },
        );
        if (result.errors) {
          expect(result.errors).toHaveLength(1);
          expect(result.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.stringMatching(/^(body|payload)$/) });
        } else if (!/[{}%]/.test(text) && text.trim() !== '') {
          // Text without Liquid renders as itself.
          expect(result.data!.previewTemplateDraft.text).toBe(text);
        }
      }),
      { numRuns: 40 },
    );
  });
});
