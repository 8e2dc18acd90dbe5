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
    const result = await gw.graphql(`mutation($input: BatchInput!) { batch(input: $input) { stored } }`, {
      input: { batch: [{ type: path.toUpperCase(), ...body }] },
    });
    expect(result.errors).toBeUndefined();
  };
  const profile = async (userId: string) => {
    const result = await gw.graphql<{
      profile: {
        traits: Record<string, unknown>;
        phone: string | null;
        timezone: string | null;
        locale: string | null;
        country: string | null;
        identities: Array<{ kind: string; value: string; source: string }>;
        consent: Array<{ channel: string; purpose: string; status: string; source: string }>;
        consentHistory: Array<{ channel: string; purpose: string; status: string; source: string }>;
        merges: Array<{ fromCustomer: string; reason: string; moved: Record<string, number> }>;
        events: { totalCount: number; edges: Array<{ node: { type: string; name: string | null } }> };
      } | null;
    }>(
      `query($userId: String!) { profile(userId: $userId) {
        traits phone timezone locale country
        identities { kind value source } consent { channel purpose status source } consentHistory { channel purpose status source }
        merges { fromCustomer reason moved } events { totalCount edges { node { type name } } } } }`,
      { userId },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.profile;
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
    expect(lia.merges).toEqual([{ fromCustomer: 'anon:dev-1', reason: 'identify', moved: expect.objectContaining({ events: 2 }) }]);
  });

  it('merges on alias, by an earlier userId or an anonymousId, and never merges two known customers through a shared device', async () => {
    await segment('track', { userId: 'old-id', event: 'Signed Up' });
    await segment('alias', { userId: 'new-id', previousId: 'old-id' });
    const renamed = (await profile('new-id'))!;
    expect(renamed.merges).toEqual([expect.objectContaining({ fromCustomer: 'old-id', reason: 'alias' })]);
    expect(renamed.events.edges.map(({ node }) => node.name ?? node.type)).toEqual(['alias', 'Signed Up']);
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
    const bad = await gw.graphql(`mutation { identify(input: { userId: "rio", traits: { timezone: "Mars/Olympus" } }) { duplicate } }`);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'traits.timezone' } });
    const badConsent = await gw.graphql(`mutation { identify(input: { userId: "rio", traits: { consent: { fax: "subscribed" } } }) { duplicate } }`);
    expect(badConsent.errors?.[0]?.message).toContain('traits.consent.fax');
    expect(badConsent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
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

    const set = await gw.graphql(`mutation { setConsent(input: { userId: "cora", channel: SMS, status: UNSUBSCRIBED, source: "preference-center" }) { channel purpose status source } }`);
    expect(set.errors).toBeUndefined();
    // A choice older than the recorded one does not replace it, but is kept in the history.
    const stale = await gw.graphql(`mutation { setConsent(input: { userId: "cora", channel: SMS, status: SUBSCRIBED, timestamp: "2020-01-01T00:00:00Z" }) { status } }`);
    expect(stale.errors).toBeUndefined();
    cora = (await profile('cora'))!;
    expect(cora.consent.find((row) => row.channel === 'SMS')).toEqual({ channel: 'SMS', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'api:preference-center' });
    expect(cora.consentHistory.slice(0, 2).map((row) => `${row.status}/${row.source}`)).toEqual(['SUBSCRIBED/api', 'UNSUBSCRIBED/api:preference-center']);

    const unknownCustomer = await gw.graphql(`mutation { setConsent(input: { userId: "nobody", channel: SMS, status: SUBSCRIBED }) { status } }`);
    expect(unknownCustomer.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const badPurpose = await gw.graphql(`mutation { setConsent(input: { userId: "cora", channel: SMS, purpose: "Big Deals!", status: SUBSCRIBED }) { status } }`);
    expect(badPurpose.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'purpose' });
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
