import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore, ProfileStore } from '@continuum/data';
import { createConversationActivities, stockReportOf } from './conversation-activities';
import { trainedClassifier } from './intent-classifier';

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
    // Trained before the first call: training blocks the event loop for a while on a busy machine,
    // which would time a model's answer out (the fallback is tested on its own below).
    await trainedClassifier();
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
    expect(result).toEqual({
      intent: 'sales',
      confidence: 0.83,
      source: 'model',
      entities: { orderId: '4417' },
      question: false,
      escalationKeyword: 'lawyer',
      locale: 'en',
      sentiment: { vote: 'neutral', score: 0 },
    });
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

  it("reads a purchase date on the customer's calendar and the message's sentiment, whichever classifier answers", async () => {
    const late = { workspaceId: 'w', at: '2026-05-14T02:30:00Z', timeZone: 'America/Sao_Paulo' };
    const bought = await activities().classifyMessage({ ...late, text: 'I want to return the boots I bought yesterday, order #4417', locale: 'en' });
    expect(bought.entities).toEqual({ orderId: '4417', purchaseDate: '2026-05-12' });
    expect((await activities().classifyMessage({ ...late, text: 'chegou ontem, quero devolver', locale: 'pt-BR' })).entities).toEqual({ date: '2026-05-12' });
    // Without the message's time no day is guessed.
    expect((await activities().classifyMessage({ workspaceId: 'w', text: 'I bought them yesterday', locale: 'en' })).entities).toEqual({});
    const upset = await activities().classifyMessage({ workspaceId: 'w', text: 'Pésimo servicio, es horrible, un desastre', locale: 'es' });
    expect(upset.sentiment).toMatchObject({ vote: 'negative', strong: true });
  });

  it('sends a product question to sales', async () => {
    const shoes = await activities().classifyMessage({ workspaceId: 'w', text: 'Do you have these running shoes in size 42?', locale: 'en' });
    expect(shoes).toMatchObject({ intent: 'sales', question: true, knowledge: { id: 'sizes-and-stock' } });
  });

  it('reads stock for a sales message, and takes a short reply naming a size in a sales topic as its answer', async () => {
    const asked: unknown[] = [];
    const rows = [
      { product: 'Trail Runner', size: '42', available: '3' },
      { product: 'Trail Runner', size: 43, available: 0 },
    ];
    const withStock = createConversationActivities({
      conversations: {} as never,
      profiles: {} as never,
      vipTrait: 'vip',
      escalationKeywords: [],
      reopenWithinDays: 7,
      stock: async (params) => {
        asked.push(params);
        return { rows, truncated: false };
      },
    });
    const shoes = await withStock.classifyMessage({ workspaceId: 'w', text: 'Do you have these running shoes in size 42?', locale: 'en' });
    expect(shoes).toMatchObject({ intent: 'sales', stock: { size: '42', items: [{ product: 'Trail Runner', size: '42', available: 3 }, { product: 'Trail Runner', size: '43', available: 0 }] } });
    expect(asked.at(-1)).toEqual({ workspace_id: 'w', text: 'Do you have these running shoes in size 42?', size: '42', product: '' });
    // Read alone, "ok, size 42 then" is a return; in a sales topic about a product it answers the size question.
    const reply = await withStock.classifyMessage({ workspaceId: 'w', text: 'ok, size 42 then', locale: 'en', product: 'Trail Runner' });
    expect(reply).toMatchObject({ intent: 'sales', confidence: 1, slot: 'size', stock: { size: '42' } });
    expect(asked.at(-1)).toMatchObject({ product: 'Trail Runner', size: '42' });
    expect((await withStock.classifyMessage({ workspaceId: 'w', text: 'ok, size 42 then', locale: 'en' })).slot).toBeUndefined();
    const long = await withStock.classifyMessage({ workspaceId: 'w', text: 'I want to return the size 42 ones from order #4417, they pinch', locale: 'en', product: 'Trail Runner' });
    expect(long.slot).toBeUndefined();
    // Not a sales message: no lookup.
    const before = asked.length;
    await withStock.classifyMessage({ workspaceId: 'w', text: 'I forgot my password', locale: 'en' });
    expect(asked.length).toBe(before);
  });

  it('turns a failing stock lookup or rows of the wrong shape into an error the agent answers around, never a guess', async () => {
    const failing = createConversationActivities({
      conversations: {} as never,
      profiles: {} as never,
      vipTrait: 'vip',
      escalationKeywords: [],
      reopenWithinDays: 7,
      stock: async () => {
        throw new Error('Lookup "product-stock": The query took longer than 2000 ms');
      },
    });
    expect(await failing.classifyMessage({ workspaceId: 'w', text: 'Do you have these running shoes in size 42?', locale: 'en' })).toMatchObject({
      intent: 'sales',
      stock: { size: '42', items: [], error: 'Lookup "product-stock": The query took longer than 2000 ms' },
    });
    expect(stockReportOf({ rows: [{ name: 'Trail Runner', qty: 3 }], truncated: false }, undefined)).toEqual({ items: [], error: expect.stringMatching(/product: text, size: text, available: integer/) });
    expect(stockReportOf({ rows: [{ product: 'X', size: 'M', available: 'many' }], truncated: false }, 'M').error).toBeDefined();
    expect(stockReportOf({ rows: [{ product: ' X ', size: ' m ', available: 2.7 }, { product: 'X', size: 'L', available: -4 }], truncated: false }, 'M')).toEqual({
      size: 'M',
      items: [{ product: 'X', size: 'M', available: 2 }, { product: 'X', size: 'L', available: 0 }],
    });
    const many = Array.from({ length: 50 }, (_, i) => ({ product: 'X', size: String(i), available: 1 }));
    expect(stockReportOf({ rows: many, truncated: true }, undefined).items).toHaveLength(20);
  });
});

