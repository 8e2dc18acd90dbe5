import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Intent } from '@continuum/contracts';
import { returnsAnswer, salesAnswer, supportAnswer } from './agents';
import { AGENT_LOCALES, agentLocale, sentencesFor } from './agent-sentences';
import type { AgentTurn } from './define-agent';
import { acknowledgement } from './human-handoff';

const turn = (body: string, intent: Intent, facts: Record<string, string> = {}, stage?: string, asks: Pick<AgentTurn['message'], 'question' | 'knowledge'> = {}): AgentTurn => ({
  message: { messageId: 'm', body, channel: 'sms', at: '2026-11-23T10:00:00Z', intent, ...asks },
  facts,
  history: [],
  stage,
  turn: 1,
});

describe('the automated agents (pure decisions)', () => {
  it('say which fact they ask for, and ask for none they were given (the conversation tells a re-ask by it)', () => {
    expect(returnsAnswer(turn('I want to return something', 'returns')).asks).toBe('orderId');
    expect(returnsAnswer(turn('I want to return it', 'returns', { orderId: '4417' })).asks).toBe('reason');
    expect(returnsAnswer(turn('ok', 'unknown', { orderId: '4417' }, 'need-reason')).asks).toBe('reason');
    expect(returnsAnswer(turn('Too small', 'returns', { orderId: '4417' }, 'need-reason')).asks).toBeUndefined();
    expect(salesAnswer(turn('I want to buy something', 'sales')).asks).toBe('product');
    // The product came in an earlier topic (the conversation hands it over): it is used, not asked for.
    const remembered = salesAnswer(turn('I want to buy something', 'sales', { product: 'trail runners' }));
    expect(remembered.asks).toBeUndefined();
    expect(remembered.reply).toContain('trail runners');
    expect(supportAnswer(turn('where is my delivery?', 'support')).asks).toBe('orderId');
    expect(supportAnswer(turn('where is my delivery?', 'support', { orderId: '4417' })).asks).toBeUndefined();
  });

  it('returns: asks for the order only when no channel gave it, then the reason, then starts the return', () => {
    const ask = returnsAnswer(turn('I want to return something', 'returns'));
    expect(ask).toMatchObject({ stage: 'need-order', understood: true });
    expect(returnsAnswer(turn('it is the blue one', 'unknown', {}, 'need-order'))).toMatchObject({ stage: 'need-order', understood: false });
    // The order number came on another channel: straight to the reason.
    const reason = returnsAnswer(turn('I want to return it', 'returns', { orderId: '4417' }));
    expect(reason).toMatchObject({ stage: 'need-reason' });
    expect(reason.reply).toContain('order 4417');
    const started = returnsAnswer(turn('  Too   small ', 'returns', { orderId: '4417' }, 'need-reason'));
    expect(started).toMatchObject({ facts: { reason: 'Too small', returnStatus: 'label-sent' }, stage: 'label-sent' });
    expect(returnsAnswer(turn('when is my refund?', 'returns', { orderId: '4417', reason: 'Too small' }, 'label-sent')).reply).toMatch(/refund for order 4417 .*Too small/);
    expect(returnsAnswer(turn('thanks', 'thanks', { orderId: '4417' }))).toMatchObject({ resolved: true });
  });

  it('returns: a follow-up question is not the reason; a question is answered; a single word gets a clarifying question', () => {
    const followUp = returnsAnswer(turn('Any update on my return?', 'returns', { orderId: '4417' }, 'need-reason', { question: true }));
    expect(followUp).toMatchObject({ stage: 'need-reason', understood: true });
    expect(followUp.facts?.['reason']).toBeUndefined();
    expect(followUp.reply).toMatch(/order 4417 is not started yet.*reason for the return/);
    const dropOff = { id: 'return-drop-off', answer: 'Drop the parcel off at any post office.' };
    const beforeReason = returnsAnswer(turn('Where do I drop off the parcel?', 'returns', { orderId: '4417' }, 'need-reason', { question: true, knowledge: dropOff }));
    expect(beforeReason).toMatchObject({ stage: 'need-reason' });
    expect(beforeReason.reply).toMatch(/^Drop the parcel off at any post office\. .*reason/);
    const afterReason = returnsAnswer(turn('Where do I drop off the parcel?', 'returns', { orderId: '4417', reason: 'Too small' }, 'label-sent', { question: true, knowledge: dropOff }));
    expect(afterReason.reply).toMatch(/^Drop the parcel off at any post office\. \(Your return for order 4417 is in progress\.\)$/);
    expect(returnsAnswer(turn('ok', 'returns', { orderId: '4417' }, 'need-reason', { question: false }))).toMatchObject({ stage: 'need-reason', understood: true });
    expect(returnsAnswer(turn('ok', 'returns', { orderId: '4417' }, 'need-reason')).facts?.['reason']).toBeUndefined();
    expect(returnsAnswer(turn('hello', 'greeting', { orderId: '4417' }, 'need-reason')).facts?.['reason']).toBeUndefined();
    expect(returnsAnswer(turn('The shoes are too small.', 'returns', { orderId: '4417' }, 'need-reason', { question: false }))).toMatchObject({
      facts: { reason: 'The shoes are too small.' },
      stage: 'label-sent',
    });
  });

  it('sales: answers a product question from the knowledge base instead of asking which product', () => {
    const sizes = { id: 'sizes-and-stock', answer: 'Every product page shows the sizes in stock right now.' };
    const answer = salesAnswer(turn('Do you have these running shoes in size 42?', 'sales', {}, undefined, { question: true, knowledge: sizes }));
    expect(answer).toMatchObject({ stage: 'answered', facts: { productQuestion: 'Do you have these running shoes in size 42?' } });
    expect(answer.reply).toMatch(/^Every product page shows the sizes in stock right now\./);
  });

  it('sales: finds the product, then offers the promotion, remembering it', () => {
    expect(salesAnswer(turn('I want to buy', 'sales'))).toMatchObject({ stage: 'need-product' });
    expect(salesAnswer(turn('The trail shoes', 'unknown', {}, 'need-product'))).toMatchObject({ facts: { product: 'The trail shoes' }, stage: 'offered' });
    expect(salesAnswer(turn('still there?', 'unknown', { product: 'The trail shoes' }, 'offered')).reply).toContain('The trail shoes');
  });

  it('support: greets, answers what it knows, and says when it did not understand', () => {
    expect(supportAnswer(turn('hello', 'greeting'))).toMatchObject({ reply: 'Hi! How can I help you today?', understood: true });
    expect(supportAnswer(turn('I forgot my password', 'support')).reply).toMatch(/reset your password/);
    expect(supportAnswer(turn('where is my order?', 'support', { orderId: '77' })).reply).toContain('Order 77');
    expect(supportAnswer(turn('blorp', 'unknown'))).toMatchObject({ understood: false });
    const delivery = { id: 'delivery-times', answer: 'Standard delivery takes 2–4 business days.' };
    expect(supportAnswer(turn('how long does delivery take?', 'unknown', {}, undefined, { question: true, knowledge: delivery }))).toMatchObject({ reply: delivery.answer, understood: true });
    expect(supportAnswer(turn('thank you', 'thanks'))).toMatchObject({ resolved: true });
  });

  it("answers in the message's language: pt-BR and es have their own sentences, anything else gets English", () => {
    const inLocale = (locale: string | undefined, body: string, intent: Intent, facts: Record<string, string> = {}, stage?: string): AgentTurn => {
      const base = turn(body, intent, facts, stage);
      return { ...base, message: { ...base.message, ...(locale ? { locale } : {}) } };
    };
    expect(returnsAnswer(inLocale('pt-BR', 'quero devolver', 'returns', { orderId: '5120' })).reply).toBe(
      'Certo, pedido 5120. Qual é o motivo da devolução (tamanho errado, produto danificado, desistência)?',
    );
    expect(returnsAnswer(inLocale('es', 'quiero devolverlo', 'returns', { orderId: '5120' })).reply).toBe(
      'Entendido, pedido 5120. ¿Cuál es el motivo de la devolución (talla equivocada, producto dañado, cambio de opinión)?',
    );
    expect(returnsAnswer(inLocale('pt-BR', 'ficou muito pequeno', 'returns', { orderId: '5120' }, 'need-reason'))).toMatchObject({
      facts: { reason: 'ficou muito pequeno' },
      reply: expect.stringContaining('motivo: ficou muito pequeno'),
    });
    expect(supportAnswer(inLocale('es', 'hola', 'greeting')).reply).toBe('¡Hola! ¿En qué puedo ayudarte hoy?');
    expect(supportAnswer(inLocale('pt-BR', 'cadê meu pedido', 'support', { orderId: '77' })).reply).toBe(
      'O pedido 77 está a caminho; você vai receber as atualizações de rastreio por mensagem.',
    );
    expect(salesAnswer(inLocale('es', 'quiero comprar', 'sales')).reply).toBe('¡Encantados de ayudarte con tu compra! ¿Qué producto te interesa?');
    expect(supportAnswer(inLocale('fr', 'bonjour', 'greeting')).reply).toBe('Hi! How can I help you today?');
    expect(supportAnswer(inLocale(undefined, 'hello', 'greeting')).reply).toBe('Hi! How can I help you today?');
    expect(acknowledgement('asked-for-person', 'es')).toBe('Por supuesto. Te paso ahora con una persona de nuestro equipo. Puede ver toda nuestra conversación, así que no tendrás que repetir nada.');
    expect(acknowledgement('keyword:lawyer', 'pt-BR')).toMatch(/^Vou passar você para alguém da nossa equipe\. A pessoa vê toda/);
    expect(acknowledgement('vip')).toMatch(/^Thanks for getting in touch\. .* repeat anything\.$/);
  });

  it('every locale tag resolves to a locale with a whole set of sentences', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), (tag) => {
        const locale = agentLocale(tag);
        expect(AGENT_LOCALES).toContain(locale);
        const say = sentencesFor(tag);
        for (const part of Object.values(say)) for (const sentence of Object.values(part)) expect(typeof sentence === 'function' ? sentence('X', 'Y') : sentence).toMatch(/\S/);
      }),
    );
    expect(agentLocale('pt-PT')).toBe('pt-BR');
    expect(agentLocale('ES-mx')).toBe('es');
    expect(agentLocale('de-DE')).toBe('en');
  });

  it('sales: answers from the stock rows it was given, and claims no stock without them', () => {
    const withStock = (body: string, stock: NonNullable<AgentTurn['message']['stock']>, locale = 'en', stage?: string): AgentTurn => {
      const base = turn(body, 'sales', {}, stage);
      return { ...base, message: { ...base.message, stock, locale } };
    };
    const items = [
      { product: 'Trail Runner', size: '40', available: 1 },
      { product: 'Trail Runner', size: '41', available: 2 },
      { product: 'Trail Runner', size: '43', available: 0 },
      { product: 'City Hoodie', size: 'M', available: 5 },
    ];
    expect(salesAnswer(withStock('running shoes in 41?', { size: '41', items }))).toMatchObject({
      reply: 'Yes: Trail Runner in size 41 is in stock (2 left). Use code WELCOME10 for 10% off at checkout today.',
      facts: { product: 'Trail Runner', size: '41' },
      stage: 'offered',
    });
    expect(salesAnswer(withStock('running shoes in 43?', { size: '43', items })).reply).toBe('Trail Runner in size 43 is sold out right now; in stock: size 40 or 41.');
    expect(salesAnswer(withStock('running shoes in 44?', { size: '44', items }, 'es')).reply).toBe('Trail Runner en talla 44 está agotado ahora mismo; disponible: talla 40 o 41.');
    expect(salesAnswer(withStock('running shoes?', { items }))).toMatchObject({ reply: 'Trail Runner is in stock in size 40 or 41. Which size would you like?', stage: 'need-size' });
    expect(salesAnswer(withStock('tênis?', { items: [{ product: 'Trail Runner', size: '43', available: 0 }] }, 'pt-BR')).reply).toBe('Trail Runner está esgotado em todos os tamanhos no momento.');
    // A failed lookup or no product found: the usual answers, which promise no stock.
    expect(salesAnswer(withStock('I want to buy', { items: [], error: 'timeout' })).reply).toBe('Happy to help you buy! Which product are you interested in?');
    expect(salesAnswer(withStock('the blue one', { items: [] }, 'en', 'need-product')).reply).toBe('Good choice: the blue one. Use code WELCOME10 for 10% off at checkout today.');
    expect(salesAnswer(turn('still there?', 'unknown', { product: 'The trail shoes' }, 'offered')).reply).not.toMatch(/in stock/);
  });
});

