import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, ProfileStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Sent = { id: string; status: string; duplicate: boolean; channel: string; messageId: string | null; reason: string | null };
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id status duplicate channel messageId reason idempotencyKey } }`;
const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`;

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

  const send = (input: Record<string, unknown>) => gw.graphql<{ sendMessage: Sent }>(SEND, { input: { userId: 'ana', template: 'otp', data: { code: '123456' }, ...input } });
  const rest = (body: unknown, headers: Record<string, string> = { 'x-api-key': gw.apiKey }) =>
    fetch(`${gw.url}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('records a message once per idempotency key and starts one send for it', async () => {
    const first = (await send({ idempotencyKey: 'otp-1' })).data!.sendMessage;
    const again = (await send({ idempotencyKey: 'otp-1' })).data!.sendMessage;
    expect(first).toMatchObject({ status: 'PENDING', duplicate: false, channel: 'SMS', messageId: null });
    expect(again).toMatchObject({ id: first.id, duplicate: true });
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
    expect(byKey.data!.transactionalMessage.id).toBe(first.id);
    const neither = await gw.graphql(`{ transactionalMessage { id } }`);
    expect(neither.errors?.[0]).toMatchObject({ message: 'id: give either id or idempotencyKey', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses the same key for a different message (CONFLICT), and says what is wrong with bad input', async () => {
    await send({ idempotencyKey: 'otp-2' });
    const reused = await send({ idempotencyKey: 'otp-2', data: { code: '999999' } });
    expect(reused.errors?.[0]).toMatchObject({ message: 'idempotency key "otp-2" was already used for a different message', extensions: { code: 'CONFLICT', field: 'idempotencyKey' } });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ idempotencyKey: 'k', userId: ' ' }, 'BAD_USER_INPUT', 'userId: must not be empty'],
      [{ idempotencyKey: '' }, 'BAD_USER_INPUT', 'idempotencyKey: must be 1 to 200 characters'],
      [{ idempotencyKey: 'k', template: 'nope' }, 'BAD_USER_INPUT', 'template: no template named "nope" is published'],
      [{ idempotencyKey: 'k', channel: 'EMAIL', subject: 'Code' }, 'BAD_USER_INPUT', 'template: "otp" is a template for sms, not email'],
      [{ idempotencyKey: 'k', channel: 'EMAIL', template: 'receipt-email' }, 'BAD_USER_INPUT', 'subject: is required for EMAIL'],
      [{ idempotencyKey: 'k', userId: 'nobody' }, 'NOT_FOUND', 'No customer "nobody" in this workspace (identify them first, or give "to")'],
    ];
    for (const [input, code, message] of cases) {
      const result = await send(input);
      expect(result.errors?.[0], JSON.stringify(input)).toMatchObject({ message, extensions: { code } });
    }
  });

  it('offers the same over REST: 202 for a new key (Idempotency-Key header), 200 for a repeat, 401, 400, 404', async () => {
    const created = await rest({ userId: 'ana', template: 'otp', data: { code: '111111' } }, { 'x-api-key': gw.apiKey, 'idempotency-key': 'rest-1' });
    expect(created.status).toBe(202);
    const body = (await created.json()) as Sent;
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
