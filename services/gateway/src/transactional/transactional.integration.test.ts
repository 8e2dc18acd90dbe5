import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, MessageStore, ProfileStore, TransactionalStore, WorkspaceStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Sent = { id: string; status: string; channel: string; reason: string | null; idempotencyKey: string };
type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;
type SendPayload = { sendMessage: { transactionalMessage: Sent | null; duplicate: boolean | null; userErrors: UserErrors } };
type RestSent = { id: string; status: string; duplicate: boolean; channel: string };
const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { transactionalMessage { id status channel reason idempotencyKey } duplicate userErrors { code field message } }
}`;
const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`;
/** The local id (the row's UUID) inside a TransactionalMessage global id. */
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').replace(/^TransactionalMessage:/, '');

// The gateway's side of transactional messages, with a real PostgreSQL and a real Temporal dev server
// and no worker: what is recorded, what is started, and every refusal. The send itself is in the stack e2e.
describe('transactional messages (gateway, real PostgreSQL and Temporal, no worker)', () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture();
    await new ProfileStore(gw.dataSource).mergeTraits(DEFAULT_WORKSPACE_ID, 'ana', { first_name: 'Ana', phone: '+14155550901' }, { phone: '+14155550901' });
    expect((await gw.graphql(PUBLISH, { input: { name: 'otp', channel: 'SMS', body: 'Your code is {{ data.code }}' } })).errors).toBeUndefined();
    expect((await gw.graphql(PUBLISH, { input: { name: 'receipt-email', channel: 'EMAIL', body: 'Thanks for order {{ data.order }}' } })).errors).toBeUndefined();
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  const send = async (input: Record<string, unknown>) => {
    const result = await gw.graphql<SendPayload>(SEND, { input: { userId: 'ana', template: 'otp', data: { code: '123456' }, ...input } });
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage;
  };
  const rest = (body: unknown, headers: Record<string, string> = { 'x-api-key': gw.apiKey }) =>
    fetch(`${gw.url}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('records a message once per idempotency key and starts one send for it', async () => {
    const sent = await send({ idempotencyKey: 'otp-1' });
    const again = await send({ idempotencyKey: 'otp-1' });
    expect(sent).toMatchObject({ transactionalMessage: { status: 'PENDING', channel: 'SMS', reason: null }, duplicate: false, userErrors: [] });
    const first = { id: uuidOf(sent.transactionalMessage!.id) };
    expect(again).toMatchObject({ transactionalMessage: { id: sent.transactionalMessage!.id }, duplicate: true });
    const listed = async () => {
      const ids: string[] = [];
      for await (const workflow of gw.temporal.workflow.list({ query: `WorkflowType = 'transactionalSend'` })) ids.push(workflow.workflowId);
      return ids;
    };
    // Visibility is eventually consistent: wait for the start to show, then make sure it is the only one.
    await expect.poll(listed, { timeout: 10_000 }).toEqual([`transactional/${DEFAULT_WORKSPACE_ID}/${first.id}`]);
    expect(await gw.temporal.workflow.getHandle(`transactional/${DEFAULT_WORKSPACE_ID}/${first.id}`).describe()).toMatchObject({ status: { name: 'RUNNING' } });
    const byKey = await gw.graphql<{ transactionalMessage: { id: string } }>(`{ transactionalMessage(idempotencyKey: "otp-1") { id } }`);
    expect(byKey.errors).toBeUndefined();
    expect(byKey.data!.transactionalMessage.id).toBe(sent.transactionalMessage!.id);
    const neither = await gw.graphql(`{ transactionalMessage { id } }`);
    expect(neither.errors?.[0]).toMatchObject({ message: 'id: give either id or idempotencyKey', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses the same key for a different message (CONFLICT), and says what is wrong with bad input as user errors', async () => {
    await send({ idempotencyKey: 'otp-2' });
    const reused = await send({ idempotencyKey: 'otp-2', data: { code: '999999' } });
    expect(reused).toEqual({
      transactionalMessage: null,
      duplicate: null,
      userErrors: [{ code: 'CONFLICT', field: ['input', 'idempotencyKey'], message: 'idempotency key "otp-2" was already used for a different message' }],
    });
    const cases: Array<[Record<string, unknown>, string, string[], string]> = [
      [{ idempotencyKey: 'k', userId: ' ' }, 'INVALID', ['input', 'userId'], 'userId: must not be empty'],
      [{ idempotencyKey: '' }, 'INVALID', ['input', 'idempotencyKey'], 'idempotencyKey: must be 1 to 200 characters'],
      [{ idempotencyKey: 'k', template: 'nope' }, 'INVALID', ['input', 'template'], 'template: no template named "nope" is published'],
      [{ idempotencyKey: 'k', channel: 'EMAIL', subject: 'Code' }, 'INVALID', ['input', 'template'], 'template: "otp" is a template for sms, not email'],
      [{ idempotencyKey: 'k', channel: 'EMAIL', template: 'receipt-email' }, 'INVALID', ['input', 'subject'], 'subject: is required for EMAIL'],
      [{ idempotencyKey: 'k', userId: 'nobody' }, 'NOT_FOUND', ['input', 'userId'], 'No customer "nobody" in this workspace (identify them first, or give "to")'],
      [{ idempotencyKey: 'k', to: ' ' }, 'INVALID', ['input', 'to'], "to: must not be blank (omit it to use the customer's address)"],
    ];
    for (const [input, code, field, message] of cases) {
      expect(await send(input), JSON.stringify(input)).toEqual({ transactionalMessage: null, duplicate: null, userErrors: [{ code, field, message }] });
    }
  });

  it('is a Node: node(id:) finds it, transactionalMessage(id:) takes the global id, another workspace sees null', async () => {
    const sent = (await send({ idempotencyKey: 'otp-node' })).transactionalMessage!;
    const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on TransactionalMessage { idempotencyKey status } } }`;
    expect((await gw.graphql(NODE, { id: sent.id })).data).toEqual({ node: { __typename: 'TransactionalMessage', id: sent.id, idempotencyKey: 'otp-node', status: 'PENDING' } });
    const BY_ID = `query($id: ID) { transactionalMessage(id: $id) { id idempotencyKey } }`;
    expect((await gw.graphql(BY_ID, { id: sent.id })).data).toEqual({ transactionalMessage: { id: sent.id, idempotencyKey: 'otp-node' } });
    const missing = Buffer.from('TransactionalMessage:00000000-0000-0000-0000-000000000000').toString('base64url');
    expect((await gw.graphql(BY_ID, { id: missing })).data).toEqual({ transactionalMessage: null });
    expect((await gw.graphql(`{ transactionalMessage(idempotencyKey: "never-sent") { id } }`)).data).toEqual({ transactionalMessage: null });
    // A raw UUID or another type's id is not a TransactionalMessage id.
    const raw = await gw.graphql(BY_ID, { id: uuidOf(sent.id) });
    expect(raw.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const profileId = Buffer.from('Profile:ana').toString('base64url');
    expect((await gw.graphql(BY_ID, { id: profileId })).errors?.[0]?.message).toMatch(/is the id of a Profile, not of a TransactionalMessage/);

    const workspaces = new WorkspaceStore(gw.dataSource);
    const otherKey = await workspaces.createApiKey((await workspaces.createWorkspace('transactional-other', 'Other')).id, 'test');
    expect((await gw.graphql(NODE, { id: sent.id }, otherKey)).data).toEqual({ node: null });
    expect((await gw.graphql(BY_ID, { id: sent.id }, otherKey)).data).toEqual({ transactionalMessage: null });
  });

  it('answers any id with null or BAD_USER_INPUT naming id, never an internal error (property)', async () => {
    const BY_ID = `query($id: ID) { transactionalMessage(id: $id) { id } }`;
    const ids = fc.oneof(
      fc.string(),
      fc.string().map((local) => Buffer.from(`TransactionalMessage:${local}`).toString('base64url')),
      fc.uuid().map((uuid) => Buffer.from(`TransactionalMessage:${uuid}`).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        const result = await gw.graphql<{ transactionalMessage: unknown }>(BY_ID, { id });
        if (result.errors) expect(result.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
        else expect(result.data!.transactionalMessage).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it('answers any input with the message or user errors on input fields, never a GraphQL error (property)', async () => {
    const input = fc.record({
      userId: fc.oneof(fc.constant('ana'), fc.string({ maxLength: 12 })),
      idempotencyKey: fc.oneof(fc.string({ maxLength: 8 }), fc.string({ minLength: 195, maxLength: 205 })),
      template: fc.oneof(fc.constantFrom('otp', 'receipt-email'), fc.string({ maxLength: 12 })),
      channel: fc.constantFrom('SMS', 'MMS', 'WHATSAPP', 'RCS', 'EMAIL', 'IN_APP', null),
      data: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), { nil: null }),
      subject: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
      to: fc.option(fc.constantFrom('+14155550977', ' '), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(input, async (fields) => {
        const result = await gw.graphql<SendPayload>(SEND, { input: fields });
        expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
        const payload = result.data!.sendMessage;
        if (payload.userErrors.length === 0) {
          expect(payload.transactionalMessage).toMatchObject({ idempotencyKey: fields.idempotencyKey.trim() });
          expect(typeof payload.duplicate).toBe('boolean');
        } else {
          expect(payload).toMatchObject({ transactionalMessage: null, duplicate: null });
          for (const error of payload.userErrors) expect(error.field?.[0]).toBe('input');
        }
      }),
      { numRuns: 40 },
    );
  });

  it('relates to its customer (a Profile) and, once sent, to its outbox message', async () => {
    const sent = (await send({ idempotencyKey: 'otp-relations' })).transactionalMessage!;
    const RELATIONS = `query($id: ID) { transactionalMessage(id: $id) { status customer { __typename id userId } message { id status to body } } }`;
    const before = await gw.graphql<{ transactionalMessage: Record<string, unknown> }>(RELATIONS, { id: sent.id });
    expect(before.errors).toBeUndefined();
    expect(before.data!.transactionalMessage).toEqual({
      status: 'PENDING',
      customer: { __typename: 'Profile', id: Buffer.from('Profile:ana').toString('base64url'), userId: 'ana' },
      message: null,
    });
    // What the worker does when it sends (no worker here): an outbox row, then the request completed with it.
    const { message } = await new MessageStore(gw.dataSource).claim({
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId: `transactional/${uuidOf(sent.id)}`,
      runId: 'r',
      step: 'send',
      customerId: 'ana',
      channel: 'sms',
      to: '+14155550901',
      body: 'Your code is 123456',
    });
    await new TransactionalStore(gw.dataSource).complete(uuidOf(sent.id), { status: 'sent', messageId: message.id });
    const after = await gw.graphql<{ transactionalMessage: Record<string, unknown> }>(RELATIONS, { id: sent.id });
    expect(after.errors).toBeUndefined();
    expect(after.data!.transactionalMessage).toMatchObject({ status: 'SENT', message: { to: '+14155550901', body: 'Your code is 123456', status: 'PENDING' } });
    // To a userId no profile has (an address given instead): customer is null.
    const ghost = (await send({ idempotencyKey: 'otp-ghost', userId: 'ghost', to: '+14155550999' })).transactionalMessage!;
    expect((await gw.graphql(RELATIONS, { id: ghost.id })).data).toMatchObject({ transactionalMessage: { customer: null, message: null } });
  });

  it('offers the same over REST: 202 for a new key (Idempotency-Key header), 200 for a repeat, 401, 400, 404', async () => {
    const created = await rest({ userId: 'ana', template: 'otp', data: { code: '111111' } }, { 'x-api-key': gw.apiKey, 'idempotency-key': 'rest-1' });
    expect(created.status).toBe(202);
    const body = (await created.json()) as RestSent;
    expect(body).toMatchObject({ status: 'pending', duplicate: false, channel: 'sms' });
    const repeated = await rest({ userId: 'ana', template: 'otp', data: { code: '111111' }, idempotencyKey: 'rest-1' });
    expect(repeated.status).toBe(200);
    expect(await repeated.json()).toMatchObject({ id: body.id, duplicate: true });
    const read = await fetch(`${gw.url}/messages/${body.id}`, { headers: { 'x-api-key': gw.apiKey } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: body.id, status: 'pending' });

    expect((await rest({ userId: 'ana', template: 'otp', idempotencyKey: 'x' }, {})).status).toBe(401);
    const noKey = await rest({ userId: 'ana', template: 'otp' });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'idempotencyKey: must be 1 to 200 characters', field: 'idempotencyKey' } });
    expect((await rest({ userId: 42, template: 'otp', idempotencyKey: 'y' })).status).toBe(400);
    expect((await rest({ userId: 'ana', template: 'otp', idempotencyKey: 'z', channel: 'pigeon' })).status).toBe(400);
    const missing = await fetch(`${gw.url}/messages/00000000-0000-0000-0000-000000000000`, { headers: { 'x-api-key': gw.apiKey } });
    expect(missing.status).toBe(404);
  });
});
