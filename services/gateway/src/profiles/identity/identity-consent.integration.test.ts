import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from '../../test-support/gateway-fixture';

// Identity resolution, anonymous→known merges and consent through the real gateway, PostgreSQL and
// Temporal dev server (no worker: instances stay where routing put them).
describe('identities and consent', () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture();
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  const segment = async (path: string, body: Record<string, unknown>) => {
    const result = await gw.graphql<{ batch: { userErrors: unknown[] } }>(`mutation($input: BatchInput!) { batch(input: $input) { stored userErrors { message } } }`, {
      input: { batch: [{ type: path.toUpperCase(), ...body }] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.batch.userErrors).toEqual([]);
  };
  type Row = { channel: string; purpose: string; status: string; source: string };
  type ProfileView = {
    traits: Record<string, unknown>;
    phone: string | null;
    timezone: string | null;
    locale: string | null;
    country: string | null;
    identities: Array<{ kind: string; value: string; source: string }>;
    consent: Row[];
    consentHistory: Row[];
    merges: Array<{ fromUserId: string; reason: string; moved: Record<string, number> }>;
    events: { totalCount: number; edges: Array<{ node: { type: string; name: string | null } }> };
  };
  type Nodes<T> = { nodes: T[] };
  const profile = async (userId: string): Promise<ProfileView | null> => {
    const result = await gw.graphql<{
      profile:
        | (Omit<ProfileView, 'identities' | 'consentHistory' | 'merges'> & {
            identities: Nodes<ProfileView['identities'][number]>;
            consentHistory: Nodes<Row>;
            merges: Nodes<ProfileView['merges'][number]>;
          })
        | null;
    }>(
      `query($userId: String!) { profile(userId: $userId) {
        traits phone timezone locale country
        identities(first: 100) { nodes { kind value source } } consent { channel purpose status source }
        consentHistory(first: 50) { nodes { channel purpose status source } }
        merges(first: 100) { nodes { fromUserId reason moved } } events { totalCount edges { node { type name } } } } }`,
      { userId },
    );
    expect(result.errors).toBeUndefined();
    const found = result.data!.profile;
    if (!found) return null;
    return { ...found, identities: found.identities.nodes, consentHistory: found.consentHistory.nodes, merges: found.merges.nodes };
  };

  it('merges an anonymous visitor into the customer on identify, keeping the merge history; later anonymous events resolve to them', async () => {
    await segment('track', { anonymousId: 'dev-1', event: 'Product Viewed', properties: { sku: 'p1' } });
    await segment('page', { anonymousId: 'dev-1', name: 'Pricing' });
    expect((await profile('anon:dev-1'))?.events.totalCount).toBe(2);

    await segment('identify', { userId: 'lia', anonymousId: 'dev-1', traits: { first_name: 'Lia', phone: '+55 11 91234 5678' } });
    // After sign-in the device keeps sending its anonymousId only: those events are Lia's.
    await segment('track', { anonymousId: 'dev-1', event: 'Product Viewed', properties: { sku: 'p2' } });

    expect(await profile('anon:dev-1')).toBeNull();
    const lia = (await profile('lia'))!;
    expect(lia.events.totalCount).toBe(4);
    expect(lia.traits).toEqual({ first_name: 'Lia', phone: '+55 11 91234 5678' });
    expect(lia.phone).toBe('+5511912345678');
    expect(lia.identities.map(({ kind, value }) => `${kind}:${value}`).sort()).toEqual(['ANONYMOUS_ID:dev-1', 'PHONE:+5511912345678', 'USER_ID:lia']);
    expect(lia.merges).toEqual([{ fromUserId: 'anon:dev-1', reason: 'IDENTIFY', moved: expect.objectContaining({ events: 2 }) }]);
  });

  it('merges on alias, by an earlier userId or an anonymousId, and never merges two known customers through a shared device', async () => {
    await segment('track', { userId: 'old-id', event: 'Signed Up' });
    await segment('alias', { userId: 'new-id', previousId: 'old-id' });
    const renamed = (await profile('new-id'))!;
    expect(renamed.merges).toEqual([expect.objectContaining({ fromUserId: 'old-id', reason: 'ALIAS' })]);
    expect(renamed.events.edges.map(({ node }) => node.name ?? node.type)).toEqual(['ALIAS', 'Signed Up']);
    expect(await profile('old-id')).toBeNull();

    // A shared device: Bo signs in on it after Cy did. The anonymousId moves to Bo; Cy stays Cy.
    await segment('identify', { userId: 'cy', anonymousId: 'kiosk', traits: {} });
    await segment('identify', { userId: 'bo', anonymousId: 'kiosk', traits: {} });
    expect((await profile('cy'))!.merges).toEqual([]);
    expect((await profile('bo'))!.merges).toEqual([]);
    await segment('track', { anonymousId: 'kiosk', event: 'Opened' });
    expect((await profile('bo'))!.events.edges[0]!.node.name).toBe('Opened');
    expect((await profile('cy'))!.events.totalCount).toBe(1);
  });

  it('keeps time zone, locale and country from traits or the event context, and rejects bad ones naming the trait', async () => {
    await segment('identify', { userId: 'rio', traits: { address: { country: 'br' }, locale: 'pt_br' }, context: { timezone: 'America/Sao_Paulo' } });
    expect(await profile('rio')).toMatchObject({ timezone: 'America/Sao_Paulo', locale: 'pt-BR', country: 'BR' });
    type Identified = { identify: { profile: unknown; userErrors: Array<{ code: string; field: string[] | null; message: string }> } };
    const bad = await gw.graphql<Identified>(`mutation { identify(input: { userId: "rio", traits: { timezone: "Mars/Olympus" } }) { profile { userId } userErrors { code field message } } }`);
    expect(bad.errors).toBeUndefined();
    expect(bad.data!.identify).toMatchObject({ profile: null, userErrors: [{ code: 'INVALID', field: ['input', 'traits', 'timezone'] }] });
    const badConsent = await gw.graphql<Identified>(`mutation { identify(input: { userId: "rio", traits: { consent: { fax: "subscribed" } } }) { userErrors { code field message } } }`);
    expect(badConsent.data!.identify.userErrors[0]).toMatchObject({ code: 'INVALID', message: expect.stringContaining('traits.consent.fax') });
  });

  it('records consent from traits and the API, newest choice wins, with its source and history', async () => {
    const identified = await gw.graphql(
      `mutation { identify(input: { userId: "cora", traits: { phone: "+14155550301", consent: { sms: "subscribed", email: { marketing: false, product: true } } } }) { duplicate } }`,
    );
    expect(identified.errors).toBeUndefined();
    let cora = (await profile('cora'))!;
    expect(cora.traits).toEqual({ phone: '+14155550301' }); // consent lives in its own record, not as a trait
    expect(cora.consent).toEqual([
      { channel: 'EMAIL', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'traits' },
      { channel: 'EMAIL', purpose: 'product', status: 'SUBSCRIBED', source: 'traits' },
      { channel: 'SMS', purpose: 'marketing', status: 'SUBSCRIBED', source: 'traits' },
    ]);

    const set = await gw.graphql<{ setConsent: { profile: { userId: string; consent: Array<{ channel: string; status: string }> }; userErrors: unknown[] } }>(
      `mutation { setConsent(input: { userId: "cora", channel: SMS, status: UNSUBSCRIBED, source: "preference-center" }) { profile { userId consent { channel status } } userErrors { code } } }`,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setConsent.userErrors).toEqual([]);
    expect(set.data!.setConsent.profile.consent).toContainEqual({ channel: 'SMS', status: 'UNSUBSCRIBED' });
    // A choice older than the recorded one does not replace it, but is kept in the history.
    const stale = await gw.graphql(`mutation { setConsent(input: { userId: "cora", channel: SMS, status: SUBSCRIBED, timestamp: "2020-01-01T00:00:00Z" }) { userErrors { code } } }`);
    expect(stale.errors).toBeUndefined();
    cora = (await profile('cora'))!;
    expect(cora.consent.find((row) => row.channel === 'SMS')).toEqual({ channel: 'SMS', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'api:preference-center' });
    expect(cora.consentHistory.slice(0, 2).map((row) => `${row.status}/${row.source}`)).toEqual(['SUBSCRIBED/api', 'UNSUBSCRIBED/api:preference-center']);

    type SetConsent = { setConsent: { profile: unknown; userErrors: Array<{ code: string; field: string[] | null }> } };
    const unknownCustomer = await gw.graphql<SetConsent>(`mutation { setConsent(input: { userId: "nobody", channel: SMS, status: SUBSCRIBED }) { profile { userId } userErrors { code field } } }`);
    expect(unknownCustomer.data!.setConsent).toEqual({ profile: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'userId'] }] });
    const badPurpose = await gw.graphql<SetConsent>(
      `mutation { setConsent(input: { userId: "cora", channel: SMS, purpose: "Big Deals!", status: SUBSCRIBED }) { profile { userId } userErrors { code field } } }`,
    );
    expect(badPurpose.data!.setConsent).toEqual({ profile: null, userErrors: [{ code: 'INVALID', field: ['input', 'purpose'] }] });
  });

  it('pages identities, consent history and merges, and finds each by node(id)', async () => {
    await segment('track', { anonymousId: 'pia-dev', event: 'Opened' });
    await segment('identify', { userId: 'pia', anonymousId: 'pia-dev', traits: { phone: '+14155550399', email: 'pia@example.com' } });
    for (const status of ['UNSUBSCRIBED', 'SUBSCRIBED', 'UNSUBSCRIBED']) {
      const set = await gw.graphql(`mutation { setConsent(input: { userId: "pia", channel: EMAIL, status: ${status} }) { userErrors { code } } }`);
      expect(set.errors).toBeUndefined();
    }
    type Conn = { edges: Array<{ cursor: string; node: Record<string, unknown> & { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string; startCursor: string }; totalCount: number };
    const page = async (field: string, args: string) => {
      const result = await gw.graphql<{ profile: Record<string, Conn> }>(
        `query { profile(userId: "pia") { ${field}(${args}) { edges { cursor node { id ${field === 'identities' ? 'kind value' : field === 'merges' ? 'fromUserId reason' : 'status'} } } pageInfo { hasNextPage startCursor endCursor } totalCount } } }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.profile[field]!;
    };

    const ids = await page('identities', 'first: 2');
    expect(ids.totalCount).toBe(4);
    expect(ids.edges.map(({ node }) => node.kind)).toEqual(['ANONYMOUS_ID', 'EMAIL']);
    const moreIds = await page('identities', `first: 2, after: "${ids.pageInfo.endCursor}"`);
    expect(moreIds.edges.map(({ node }) => node.kind)).toEqual(['PHONE', 'USER_ID']);
    expect(moreIds.pageInfo.hasNextPage).toBe(false);
    const backIds = await page('identities', `last: 3, before: "${moreIds.pageInfo.endCursor}"`);
    expect(backIds.edges.map(({ node }) => node.kind)).toEqual(['ANONYMOUS_ID', 'EMAIL', 'PHONE']);

    const history = await page('consentHistory', 'first: 2');
    expect(history.totalCount).toBe(3);
    expect(history.edges.map(({ node }) => node.status)).toEqual(['UNSUBSCRIBED', 'SUBSCRIBED']);
    const older = await page('consentHistory', `last: 1, before: "${history.pageInfo.endCursor}"`);
    expect(older.edges.map(({ node }) => node.status)).toEqual(['UNSUBSCRIBED']);

    const merges = await page('merges', 'first: 5');
    expect(merges.totalCount).toBe(1);
    expect(merges.edges[0]!.node).toMatchObject({ fromUserId: 'anon:pia-dev', reason: 'IDENTIFY' });

    for (const node of [ids.edges[1]!.node, history.edges[0]!.node, merges.edges[0]!.node]) {
      const found = await gw.graphql<{ node: { id: string } | null }>(`query($id: ID!) { node(id: $id) { id } }`, { id: node.id });
      expect(found.errors).toBeUndefined();
      expect(found.data!.node).toEqual({ id: node.id });
    }
    const merge = await gw.graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { ... on ProfileMergeRecord { customer { userId } } } }`, {
      id: merges.edges[0]!.node.id,
    });
    expect(merge.data!.node).toEqual({ customer: { userId: 'pia' } });
  });

  describe('inbound keywords', () => {
    const inbound = async (from: string, body: string) => {
      const form = { From: from, To: '+15005550006', Body: body, MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}` };
      const response = await gw.twilioWebhook('/webhooks/twilio/inbound', form);
      expect(response.status).toBe(200);
      return response.text();
    };

    it('unsubscribes the channel at once on STOP and the local PARAR, re-subscribes on START, and answers HELP', async () => {
      await gw.graphql(`mutation { identify(input: { userId: "kw", traits: { phone: "+5511955550001", whatsapp: "+5511955550001" } }) { duplicate } }`);
      expect(await inbound('+5511955550001', ' stop. ')).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      let consent = (await profile('kw'))!.consent;
      expect(consent).toEqual([
        { channel: 'SMS', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'inbound:STOP' },
        { channel: 'SMS', purpose: 'transactional', status: 'UNSUBSCRIBED', source: 'inbound:STOP' },
      ]);
      await inbound('+5511955550001', 'START');
      expect((await profile('kw'))!.consent.map((row) => row.status)).toEqual(['SUBSCRIBED', 'SUBSCRIBED']);
      await inbound('whatsapp:+5511955550001', 'Parar');
      consent = (await profile('kw'))!.consent;
      expect(consent.filter((row) => row.channel === 'WHATSAPP')).toEqual([
        { channel: 'WHATSAPP', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'inbound:PARAR' },
        { channel: 'WHATSAPP', purpose: 'transactional', status: 'UNSUBSCRIBED', source: 'inbound:PARAR' },
      ]);
      expect(consent.filter((row) => row.channel === 'SMS').map((row) => row.status)).toEqual(['SUBSCRIBED', 'SUBSCRIBED']);

      const help = await inbound('+5511955550001', 'help');
      expect(help).toContain('<Message>Continuum: reply STOP to unsubscribe or START to subscribe again. Msg&amp;data rates may apply.</Message>');
      // A keyword inside a sentence is just a message.
      await inbound('+5511955550001', 'please do not stop the deliveries');
      expect((await profile('kw'))!.consent.filter((row) => row.channel === 'SMS').map((row) => row.status)).toEqual(['SUBSCRIBED', 'SUBSCRIBED']);
      const events = (await profile('kw'))!.events.edges.map(({ node }) => node.name);
      expect(events.filter((name) => name === 'Message Received')).toHaveLength(5);
    });
  });
});
