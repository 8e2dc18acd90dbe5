import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Intent, MessageVoice } from '@continuum/contracts';
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

  it("writes in the workspace's form of address: every sentence of a formal set is free of the informal forms, and the other way round", () => {
    const all = (locale: string, address: 'informal' | 'formal') =>
      Object.values(sentencesFor(locale, address)).flatMap((part) => Object.values(part).map((sentence) => (typeof sentence === 'function' ? sentence('4417', 'too small', 2) : sentence) as string));
    // Words that only the other form of address uses.
    const words = (list: string) => new RegExp(`(?<!\\p{L})(${list})(?!\\p{L})`, 'iu');
    const informal = { 'pt-BR': words('você|te'), es: words('tu|tú|te|ti|tus|quieres|necesitas|responde|escríbenos|usa|sigues|olvidaste|tengas|cuentas|dices|devuelves|di|tendrás|recibirás') };
    const formal = { 'pt-BR': words('senhor|senhor\\(a\\)'), es: words('usted|su|le|necesita|responda|escríbanos|use|sigue|olvidó|tenga|cuenta|indica|devuelve|escriba|tendrá|recibirá') };
    for (const locale of ['pt-BR', 'es'] as const) {
      for (const sentence of all(locale, 'formal')) expect(sentence).not.toMatch(informal[locale]);
      expect(all(locale, 'formal').filter((sentence) => formal[locale].test(sentence)).length).toBeGreaterThanOrEqual(8);
      expect(all(locale, 'informal').filter((sentence) => informal[locale].test(sentence)).length).toBeGreaterThanOrEqual(8);
      for (const sentence of all(locale, 'informal')) expect(sentence).not.toMatch(/senhor|usted/i);
    }
    expect(all('en', 'formal')).toEqual(all('en', 'informal'));
  });

  it("answers and hands over in the workspace's voice: form of address, sign-off, no emoji when it has none", () => {
    const formal: MessageVoice = { address: 'formal', signOff: 'Equipe Loja Brasil', emoji: false };
    const voiced = (body: string, intent: Intent, voice: MessageVoice, extra: Partial<AgentTurn['message']> = {}): AgentTurn => {
      const base = turn(body, intent);
      return { ...base, message: { ...base.message, locale: 'pt-BR', voice, ...extra } };
    };
    expect(supportAnswer(voiced('oi', 'greeting', formal)).reply).toBe('Olá! Como posso ajudar o(a) senhor(a) hoje?');
    expect(supportAnswer(voiced('oi', 'greeting', { ...formal, address: 'informal' })).reply).toBe('Oi! Como posso ajudar você hoje?');
    expect(salesAnswer({ ...voiced('quero comprar', 'sales', formal), message: { ...voiced('', 'sales', formal).message, locale: 'es', body: 'quiero comprar' } }).reply).toBe(
      '¡Encantados de ayudarle con su compra! ¿Qué producto le interesa?',
    );
    expect(acknowledgement('asked-for-person', 'pt-BR', formal)).toBe(
      'Claro. Vou transferir o(a) senhor(a) agora para alguém da nossa equipe. A pessoa vê toda a nossa conversa, então o(a) senhor(a) não precisará repetir nada.\nEquipe Loja Brasil',
    );
    expect(acknowledgement('vip', 'en', { address: 'informal', signOff: '— Store US 🇺🇸', emoji: true })).toMatch(/personally\. .*\n— Store US 🇺🇸$/);
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

