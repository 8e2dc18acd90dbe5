import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Version = { version: number; locale: string; channel: string; body: string; createdBy: string };
type Template = { name: string; locale: string; latest: Version; versions: Version[] };

const FIELDS = 'name locale latest { version locale channel body createdBy } versions { version body }';
const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { ${FIELDS} } }`;
const LIST = `query($name: String) { templates(name: $name) { ${FIELDS} } }`;
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

  const publish = (input: Record<string, unknown>) => gateway.graphql<{ publishTemplate: Template }>(PUBLISH, { input: { channel: 'sms', ...input } });
  const preview = (variables: Record<string, unknown>) =>
    gateway.graphql<{ previewTemplate: { text: string; locale: string; version: number } }>(PREVIEW, { name: 'welcome', ...variables });
  const ana = { profile: { traits: { first_name: 'Ana' } } };

  it('publishes versions per locale: a new body is the next version, the old one is kept, the same body adds none', async () => {
    expect((await publish({ name: 'welcome', body: 'Welcome, {{ profile.traits.first_name }}!' })).data?.publishTemplate.latest).toMatchObject({
      version: 1,
      locale: 'default',
      createdBy: expect.stringMatching(/^api-key:/),
    });
    await publish({ name: 'welcome', locale: 'pt', body: 'Bem-vindo, {{ profile.traits.first_name }}!' });
    const second = await publish({ name: 'welcome', locale: 'pt', body: 'Boas-vindas, {{ profile.traits.first_name }}!' });
    expect(second.data?.publishTemplate.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await publish({ name: 'welcome', locale: 'pt', body: 'Boas-vindas, {{ profile.traits.first_name }}!' })).data?.publishTemplate.latest.version).toBe(2);

    const listed = (await gateway.graphql<{ templates: Template[] }>(LIST, { name: 'welcome' })).data!.templates;
    expect(listed.map((t) => [t.locale, t.latest.version, t.versions.length])).toEqual([
      ['default', 1, 1],
      ['pt', 2, 2],
    ]);
  });

  it('previews with locale fallback pt-BR → pt → default, using the latest version', async () => {
    expect((await preview({ locale: 'pt-BR', payload: ana })).data?.previewTemplate).toEqual({ text: 'Boas-vindas, Ana!', locale: 'pt', version: 2, channel: 'sms' });
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

  it('refuses a Liquid syntax error, a bad name, locale or channel at publish with BAD_USER_INPUT', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'welcome', body: 'Hi {% if profile.traits.vip %}VIP' }, /^input\.body: Liquid syntax error: tag {% if profile\.traits\.vip %} not closed, line:1, col:4/],
      [{ name: 'welcome', body: 'Hi {{ name | shout }}' }, /undefined filter: shout/],
      [{ name: 'Welcome Back', body: 'Hi' }, /^name: "Welcome Back" is not a template name/],
      [{ name: 'welcome', locale: 'portuguese', body: 'Hi' }, /^locale: "portuguese" is not a locale/],
      [{ name: 'welcome', channel: 'fax', body: 'Hi' }, /^input\.channel: "fax" is not one of/],
    ];
    for (const [input, message] of cases) {
      const result = await publish(input);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    expect((await gateway.graphql<{ templates: Template[] }>(LIST, { name: 'welcome' })).data!.templates.map((t) => t.latest.version)).toEqual([1, 2]);
  });
});
