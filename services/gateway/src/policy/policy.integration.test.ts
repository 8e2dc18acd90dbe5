import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, ConsentStore, MessagingPolicyStore, WorkspaceStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

/** The governance policy through the real gateway and PostgreSQL: edits, versions, audit, effectivePolicy, inbound keywords, caches. */

type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;
type Update = { updateMessagingPolicy: { messagingPolicy: { version: number; document: Record<string, unknown> } | null; userErrors: UserErrors } };
type Effective = { effectivePolicy: { userId: string; country: string | null; version: number; rules: Array<{ rule: string; value: unknown; source: string; country: string | null }> } };

const BR_SENDER = '+5511999990001';
const US_SENDER = '+14155550199';

const BR_POLICY = {
  channelOrder: ['whatsapp', 'sms'],
  senders: { sms: BR_SENDER, whatsapp: BR_SENDER },
  keywords: { pt: { stop: ['parar', 'sair'], start: ['voltar'], help: ['ajuda'] } },
  helpReplies: { 'pt-BR': 'Loja: responda PARAR para sair ou VOLTAR para voltar.', en: 'Store: reply STOP to opt out.' },
  confirmationReplies: { 'pt-BR': { stop: 'Pronto: você não receberá mais mensagens.' } },
  toneOfVoice: 'Caloroso e direto, sempre em português do Brasil.',
  countries: { BR: { quietHours: { start: '21:00', end: '08:00' }, timeZone: 'America/Sao_Paulo', consent: { whatsapp: 'explicit' } } },
};
const US_POLICY = {
  channelOrder: ['sms'],
  senders: { sms: US_SENDER },
  keywords: { en: { stop: ['optout'] } },
  helpReplies: { en: 'Store US: reply STOP to opt out. Msg&data rates may apply.' },
};

describe('messaging policy (GraphQL, inbound)', () => {
  let gateway: GatewayFixture;
  let brazil: string;
  let usa: string;
  let brAdmin: string;
  let usAdmin: string;
  let brReader: string;

  beforeAll(async () => {
    gateway = await startGatewayFixture({ env: { GRAPHQL_RATE_LIMIT_PER_SECOND: '0' } });
    const workspaces = new WorkspaceStore(gateway.dataSource);
    brazil = (await workspaces.createWorkspace('policy-br', 'Loja Brasil')).id;
    usa = (await workspaces.createWorkspace('policy-us', 'Store US')).id;
    brAdmin = await workspaces.createApiKey(brazil, 'br-admin', undefined, ['admin', 'read', 'track']);
    usAdmin = await workspaces.createApiKey(usa, 'us-admin', undefined, ['admin', 'read', 'track']);
    brReader = await workspaces.createApiKey(brazil, 'br-reader', undefined, ['read']);
  }, 240_000);

  afterAll(async () => {
    await gateway?.teardown();
  });

  const update = (key: string, input: Record<string, unknown>) =>
    gateway.graphql<Update>(
      `mutation($input: UpdateMessagingPolicyInput!) { updateMessagingPolicy(input: $input) { messagingPolicy { version document } userErrors { code field message } } }`,
      { input },
      key,
    );
  const effective = (key: string, userId: string) =>
    gateway.graphql<Effective>(`query($u: String!) { effectivePolicy(userId: $u) { userId country version rules { rule value source country } } }`, { u: userId }, key);
  const identify = (key: string, userId: string, traits: Record<string, unknown>) =>
    gateway.graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId, traits } }, key);
  const inbound = async (from: string, to: string, body: string) => {
    const form = { From: from, To: to, Body: body, MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}` };
    const response = await gateway.twilioWebhook('/webhooks/twilio/inbound', form);
    expect(response.status).toBe(200);
    return response.text();
  };
  const reply = (text: string) => /<Message>([^<]*)<\/Message>/.exec(text)?.[1]?.replace(/&amp;/g, '&');

  it('saves each workspace its own policy as version 1, normalised, with an audit row; a read key may not', async () => {
    const br = await update(brAdmin, { document: BR_POLICY, comment: 'launch Brazil' });
    expect(br.errors).toBeUndefined();
    expect(br.data!.updateMessagingPolicy.userErrors).toEqual([]);
    expect(br.data!.updateMessagingPolicy.messagingPolicy!.version).toBe(1);
    expect(br.data!.updateMessagingPolicy.messagingPolicy!.document['keywords']).toEqual({ pt: { stop: ['PARAR', 'SAIR'], start: ['VOLTAR'], help: ['AJUDA'] } });
    const us = await update(usAdmin, { document: US_POLICY, expectedVersion: 0 });
    expect(us.data!.updateMessagingPolicy).toMatchObject({ messagingPolicy: { version: 1 }, userErrors: [] });
    const forbidden = await update(brReader, { document: {} });
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'admin' });
    const audit: Array<{ workspace_id: string; action: string; target: string; outcome: string; actor: string }> = await gateway.dataSource.query(
      `SELECT workspace_id, action, target, outcome, actor FROM admin_audit WHERE action = 'updateMessagingPolicy' ORDER BY id`,
    );
    expect(audit.map((row) => [row.workspace_id, row.target, row.outcome])).toEqual([
      [brazil, 'messaging-policy:v1', 'ok'],
      [usa, 'messaging-policy:v1', 'ok'],
    ]);
    expect(audit[0]!.actor).toMatch(/^api-key:/);
  });

  it('refuses an invalid document with one user error per problem, each naming its path, and changes nothing', async () => {
    const refused = await update(brAdmin, {
      document: { channelOrder: ['fax'], countries: { BR: { quietHours: { start: '25:00', end: '08:00' } }, brasil: {} }, colour: 'blue' },
    });
    expect(refused.errors).toBeUndefined();
    const { messagingPolicy, userErrors } = refused.data!.updateMessagingPolicy;
    expect(messagingPolicy).toBeNull();
    expect(userErrors.every((error) => error.code === 'INVALID')).toBe(true);
    const fields = userErrors.map((error) => error.field!.join('.'));
    expect(fields).toEqual(
      expect.arrayContaining(['input.document.channelOrder.0', 'input.document.countries.BR.quietHours.start', 'input.document.countries.brasil', 'input.document']),
    );
    expect(userErrors.find((error) => error.field!.join('.') === 'input.document')!.message).toMatch(/colour/);
    const voice = await update(brAdmin, { document: { voice: { address: 'sir' }, countries: { BR: { voice: { emoji: false, signOff: 'Equipe 🎉' } } } } });
    expect(voice.data!.updateMessagingPolicy.userErrors.map((error) => [error.field!.join('.'), error.message])).toEqual(
      expect.arrayContaining([
        ['input.document.voice.address', 'must be "informal" or "formal"'],
        ['input.document.countries.BR.voice.signOff', 'has an emoji, and this voice says emoji: false'],
      ]),
    );
    const stale = await update(brAdmin, { document: BR_POLICY, expectedVersion: 0 });
    expect(stale.data!.updateMessagingPolicy.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'expectedVersion'] })]);
    // A number belongs to one workspace (inbound messages to it land there).
    const taken = await update(usAdmin, { document: { ...US_POLICY, senders: { sms: BR_SENDER } } });
    expect(taken.data!.updateMessagingPolicy.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'document', 'senders', 'sms'] })]);
    const current = await gateway.graphql<{ messagingPolicy: { version: number } }>(`{ messagingPolicy { version } }`, {}, brAdmin);
    expect(current.data!.messagingPolicy.version).toBe(1);
    const errors: Array<{ count: string }> = await gateway.dataSource.query(`SELECT count(*) FROM admin_audit WHERE action = 'updateMessagingPolicy' AND outcome = 'error'`);
    expect(Number(errors[0]!.count)).toBe(4);
  });

  it('explains the rules for a customer: each with its value and the layer that gave it', async () => {
    await identify(brAdmin, 'ana', { phone: '+5511955550701', whatsapp: '+5511955550701', country: 'BR', locale: 'pt-BR' });
    await identify(usAdmin, 'bob', { phone: '+14155550702', country: 'US', locale: 'en-US' });
    const ana = await effective(brAdmin, 'ana');
    expect(ana.errors).toBeUndefined();
    const rules = Object.fromEntries(ana.data!.effectivePolicy.rules.map((rule) => [rule.rule, rule]));
    expect(ana.data!.effectivePolicy).toMatchObject({ userId: 'ana', country: 'BR', version: 1 });
    expect(rules['CHANNEL_ORDER']).toEqual({ rule: 'CHANNEL_ORDER', value: ['whatsapp', 'sms'], source: 'WORKSPACE', country: null });
    expect(rules['QUIET_HOURS']).toEqual({ rule: 'QUIET_HOURS', value: { start: '21:00', end: '08:00' }, source: 'WORKSPACE_COUNTRY', country: 'BR' });
    expect(rules['TIME_ZONE']).toMatchObject({ value: 'America/Sao_Paulo', source: 'WORKSPACE_COUNTRY' });
    expect(rules['CONSENT']).toMatchObject({ value: { whatsapp: 'explicit' }, source: 'WORKSPACE_COUNTRY' });
    expect(rules['QUIET_HOURS_MODE']).toMatchObject({ value: 'queue', source: 'GLOBAL' });
    expect(rules['FREQUENCY_CAPS']).toMatchObject({ value: [], source: 'GLOBAL' });
    expect(rules['TONE_OF_VOICE']).toMatchObject({ source: 'WORKSPACE' });
    expect(rules['VOICE']).toBeUndefined(); // none set: templates and agents use the default voice
    const bob = await effective(usAdmin, 'bob');
    const usRules = Object.fromEntries(bob.data!.effectivePolicy.rules.map((rule) => [rule.rule, rule]));
    expect(usRules['CHANNEL_ORDER']).toMatchObject({ value: ['sms'], source: 'WORKSPACE' });
    // The deployment's zone for the country (REGION_TIME_ZONES), as before policies existed.
    expect(usRules['TIME_ZONE']).toMatchObject({ value: 'America/New_York', source: 'GLOBAL_COUNTRY', country: 'US' });
    expect(usRules['TONE_OF_VOICE']).toBeUndefined();
    // Another workspace's customer is not found here.
    const missing = await effective(usAdmin, 'ana');
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("takes PARAR as STOP in the Brazilian workspace (its number), answers AJUDA in pt-BR, and not in the US workspace", async () => {
    const consents = new ConsentStore(gateway.dataSource);
    expect(reply(await inbound('+5511955550701', BR_SENDER, 'ajuda'))).toBe('Loja: responda PARAR para sair ou VOLTAR para voltar.');
    expect(reply(await inbound('+5511955550701', BR_SENDER, ' Parar! '))).toBe('Pronto: você não receberá mais mensagens.');
    expect(await consents.statusOf(brazil, 'ana', 'sms', 'marketing')).toBe('unsubscribed');
    expect(reply(await inbound('+5511955550701', BR_SENDER, 'VOLTAR'))).toBeUndefined();
    expect(await consents.statusOf(brazil, 'ana', 'sms', 'marketing')).toBe('subscribed');
    // The US workspace's policy has its own words: PARAR is just a message there, OPTOUT is STOP.
    expect(reply(await inbound('+14155550702', US_SENDER, 'PARAR'))).toBeUndefined();
    expect(await consents.statusOf(usa, 'bob', 'sms', 'marketing')).toBe('unknown');
    expect(reply(await inbound('+14155550702', US_SENDER, 'help'))).toBe('Store US: reply STOP to opt out. Msg&data rates may apply.');
    expect(reply(await inbound('+14155550702', US_SENDER, 'optout'))).toBeUndefined();
    expect(await consents.statusOf(usa, 'bob', 'sms', 'marketing')).toBe('unsubscribed');
    // The inbound message itself landed in the workspace whose number it was sent to.
    const landed: Array<{ workspace_id: string }> = await gateway.dataSource.query(`SELECT DISTINCT workspace_id FROM events WHERE user_id = 'bob'`);
    expect(landed.map((row) => row.workspace_id)).toEqual([usa]);
  });

  it('keeps every version (changes, author, comment) and serves the new one at once: the cache is invalidated on save', async () => {
    // Read once (cached), change, and the very next inbound message reads the new version.
    expect(reply(await inbound('+5511955550701', BR_SENDER, 'CHEGA'))).toBeUndefined();
    const next = { ...BR_POLICY, keywords: { pt: { stop: ['parar', 'sair', 'chega'] } } };
    const saved = await update(brAdmin, { document: next, expectedVersion: 1, comment: 'CHEGA também' });
    expect(saved.data!.updateMessagingPolicy).toMatchObject({ messagingPolicy: { version: 2 }, userErrors: [] });
    await inbound('+5511955550701', BR_SENDER, 'CHEGA');
    expect(await new ConsentStore(gateway.dataSource).statusOf(brazil, 'ana', 'sms', 'marketing')).toBe('unsubscribed');
    const history = await gateway.graphql<{
      messagingPolicy: { version: number; versions: { totalCount: number; nodes: Array<{ id: string; version: number; author: string; comment: string | null; changes: Array<{ path: string; before: unknown; after: unknown }> }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    }>(`{ messagingPolicy { version versions(first: 1) { totalCount nodes { id version author comment changes { path before after } } pageInfo { hasNextPage endCursor } } } }`, {}, brReader);
    expect(history.errors).toBeUndefined();
    const policy = history.data!.messagingPolicy;
    expect(policy.version).toBe(2);
    expect(policy.versions.totalCount).toBe(2);
    expect(policy.versions.nodes[0]).toMatchObject({ version: 2, comment: 'CHEGA também', author: expect.stringMatching(/^api-key:/) });
    expect(policy.versions.nodes[0]!.changes).toEqual([
      { path: 'keywords', before: { pt: { stop: ['PARAR', 'SAIR'], start: ['VOLTAR'], help: ['AJUDA'] } }, after: { pt: { stop: ['PARAR', 'SAIR', 'CHEGA'] } } },
    ]);
    const older = await gateway.graphql<{ messagingPolicy: { versions: { nodes: Array<{ version: number; changes: Array<{ path: string }> }> } } }>(
      `query($after: String) { messagingPolicy { versions(first: 5, after: $after) { nodes { version changes { path } } } } }`,
      { after: policy.versions.pageInfo.endCursor },
      brReader,
    );
    expect(older.data!.messagingPolicy.versions.nodes.map((node) => node.version)).toEqual([1]);
    expect(older.data!.messagingPolicy.versions.nodes[0]!.changes.map((change) => change.path)).toContain('countries.BR.quietHours');
    // A version is a Node: fetched again by its id, only in its own workspace.
    const id = policy.versions.nodes[0]!.id;
    const node = await gateway.graphql<{ node: { version: number } | null }>(`query($id: ID!) { node(id: $id) { ... on MessagingPolicyVersion { version } } }`, { id }, brReader);
    expect(node.data!.node).toEqual({ version: 2 });
    const foreign = await gateway.graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id }, usAdmin);
    expect(foreign.data?.node ?? null).toBeNull();
  });

  it('another process hears of a save through NOTIFY and drops its cached copy at once', async () => {
    const elsewhere = new MessagingPolicyStore(gateway.dataSource, { ttlMs: 3_600_000 });
    await elsewhere.listen(gateway.databaseUrl);
    try {
      expect((await elsewhere.inForce(usa)).version).toBe(1);
      await new MessagingPolicyStore(gateway.dataSource).save(usa, { ...US_POLICY, toneOfVoice: 'Friendly' }, CLI_ACTOR);
      let seen = 1;
      for (let attempt = 0; attempt < 100 && seen === 1; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = (await elsewhere.inForce(usa)).version;
      }
      expect(seen).toBe(2);
    } finally {
      await elsewhere.stopListening();
    }
  });

  it('answers any document with the policy or user errors under input.document, never an error (property)', async () => {
    const rule = fc.oneof(
      fc.constant(['channelOrder', ['sms']]),
      fc.constant(['channelOrder', []]),
      fc.constant(['quietHours', null]),
      fc.tuple(fc.constant('quietHours'), fc.record({ start: fc.string({ maxLength: 6 }), end: fc.constantFrom('08:00', '7:00') })),
      fc.tuple(fc.constant('quietHoursMode'), fc.constantFrom('queue', 'discard', 'later')),
      fc.tuple(fc.constant('timeZone'), fc.constantFrom('America/Sao_Paulo', 'Mars/Olympus', '')),
      fc.tuple(fc.constant('frequencyCaps'), fc.array(fc.record({ channel: fc.constantFrom('sms', '*', 'fax'), max: fc.integer({ min: -1, max: 5 }), window: fc.constantFrom('1 day', 'soon') }), { maxLength: 3 })),
      fc.tuple(fc.constant('keywords'), fc.dictionary(fc.constantFrom('pt', 'en', 'xx-yy', ''), fc.record({ stop: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) }))),
      fc.tuple(fc.constant('helpReplies'), fc.dictionary(fc.constantFrom('pt-BR', 'en', 'EN'), fc.string({ maxLength: 20 }))),
      fc.tuple(fc.constant('toneOfVoice'), fc.string({ maxLength: 30 })),
      fc.tuple(
        fc.constant('voice'),
        fc.dictionary(fc.constantFrom('address', 'signOff', 'emoji', 'tone'), fc.oneof(fc.constantFrom('formal', 'informal', 'Equipe 🎉', 'sir'), fc.boolean(), fc.string({ maxLength: 170 }), fc.constant(null)), { maxKeys: 4 }),
      ),
      fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
    );
    const document = fc.oneof(
      fc.array(rule, { maxLength: 5 }).map((entries) => Object.fromEntries(entries as Array<[string, unknown]>)),
      fc.array(rule, { maxLength: 3 }).map((entries) => ({ countries: { BR: Object.fromEntries(entries as Array<[string, unknown]>) } })),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const answer = await update(usAdmin, { document: doc });
        expect(answer.errors).toBeUndefined();
        const payload = answer.data!.updateMessagingPolicy;
        if (payload.messagingPolicy === null) {
          expect(payload.userErrors.length).toBeGreaterThan(0);
          for (const error of payload.userErrors) expect(error.field!.slice(0, 2)).toEqual(['input', 'document']);
        } else {
          expect(payload.userErrors).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
