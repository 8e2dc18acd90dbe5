import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore, ProfileStore } from '@continuum/data';
import { createConversationActivities } from './conversation-activities';

// The model is somebody else's service: a real HTTP server stands in for it, answering as told.
describe('classifyMessage with an external model over HTTP', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ body: unknown; authorization?: string }> = [];
  let answer: (request: IncomingMessage, body: unknown) => { status: number; body: string; delayMs?: number } = () => ({ status: 200, body: '{}' });

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        const body = JSON.parse(raw) as unknown;
        seen.push({ body, authorization: request.headers.authorization });
        const reply = answer(request, body);
        setTimeout(() => response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body), reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/classify`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const activities = (model?: { timeoutMs: number; token?: string }) =>
    createConversationActivities({
      conversations: {} as ConversationStore,
      profiles: {} as ProfileStore,
      vipTrait: 'vip',
      escalationKeywords: ['lawyer'],
      reopenWithinDays: 7,
      ...(model ? { model: { url, ...model } } : {}),
    });

  it("uses the model's intent, sends it the text, locale and the intents it may answer, and keeps the facts found in the text", async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ intent: 'sales', confidence: 0.83 }) });
    const result = await activities({ timeoutMs: 1000, token: 'secret' }).classifyMessage({ workspaceId: 'w', text: 'about order #4417, my lawyer says…', locale: 'en' });
    expect(result).toEqual({ intent: 'sales', confidence: 0.83, source: 'model', entities: { orderId: '4417' }, question: false, escalationKeyword: 'lawyer', locale: 'en' });
    expect(seen.at(-1)).toEqual({
      body: { text: 'about order #4417, my lawyer says…', locale: 'en', intents: ['returns', 'sales', 'support', 'human', 'greeting', 'thanks', 'unknown'] },
      authorization: 'Bearer secret',
    });
  });

  it.each([
    ['too slow', () => ({ status: 200, body: '{"intent":"sales"}', delayMs: 2500 }), 'model timed out after 500 ms'],
    ['an error', () => ({ status: 503, body: '{}' }), 'model answered HTTP 503'],
    ['not JSON', () => ({ status: 200, body: 'oops' }), 'model answered something other than JSON'],
    ['an intent it may not answer', () => ({ status: 200, body: '{"intent":"weather"}' }), 'model answered an unknown intent "weather"'],
  ])('falls back to the trained classifier when the model answers %s, saying why', async (_case, reply, fallback) => {
    answer = reply;
    // Long enough for a loaded machine to answer at once; the slow model takes five times as long.
    const result = await activities({ timeoutMs: 500 }).classifyMessage({ workspaceId: 'w', text: 'I want a refund' });
    expect(result).toMatchObject({ intent: 'returns', source: 'nlp', fallback, entities: {}, question: false });
  });

  it('uses the trained classifier alone when no model is configured', async () => {
    const before = seen.length;
    expect(await activities().classifyMessage({ workspaceId: 'w', text: 'talk to a human' })).toMatchObject({ intent: 'human', source: 'nlp' });
    expect(seen.length).toBe(before);
  });

  it('answers a question from the knowledge base in the language it is asked in, and only a question', async () => {
    const dropOff = await activities().classifyMessage({ workspaceId: 'w', text: 'Where do I drop off the parcel?', locale: 'en' });
    expect(dropOff).toMatchObject({ question: true, knowledge: { id: 'return-drop-off' } });
    expect(dropOff.knowledge!.answer).toMatch(/post office/);
    const inPortuguese = await activities().classifyMessage({ workspaceId: 'w', text: 'onde eu deixo o pacote?', locale: 'en' });
    expect(inPortuguese).toMatchObject({ question: true, knowledge: { id: 'return-drop-off' } });
    expect(inPortuguese.knowledge!.answer).toMatch(/Correios/);
    // The language it is written in is said, for the agent to answer in it; unknown text keeps the customer's.
    expect(inPortuguese.locale).toBe('pt-BR');
    expect(dropOff.locale).toBe('en');
    expect((await activities().classifyMessage({ workspaceId: 'w', text: '¿Dónde está mi pedido? Llega tarde', locale: 'en' })).locale).toBe('es');
    expect(await activities().classifyMessage({ workspaceId: 'w', text: 'zzxq', locale: 'pt-BR' })).toMatchObject({ intent: 'unknown', locale: 'pt-BR' });
    const statement = await activities().classifyMessage({ workspaceId: 'w', text: 'I want to buy shoes', locale: 'en' });
    expect(statement).toMatchObject({ intent: 'sales', question: false });
    expect(statement.knowledge).toBeUndefined();
    const followUp = await activities().classifyMessage({ workspaceId: 'w', text: 'Any update on my return?', locale: 'en' });
    expect(followUp).toMatchObject({ intent: 'returns', question: true });
  });

  it('sends a product question to sales', async () => {
    const shoes = await activities().classifyMessage({ workspaceId: 'w', text: 'Do you have these running shoes in size 42?', locale: 'en' });
    expect(shoes).toMatchObject({ intent: 'sales', question: true, knowledge: { id: 'sizes-and-stock' } });
  });
});
