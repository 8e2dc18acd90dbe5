import { describe, expect, it } from 'vitest';
import type { Intent } from '@continuum/contracts';
import { returnsAnswer, salesAnswer, supportAnswer } from './agents';
import type { AgentTurn } from './define-agent';

const turn = (body: string, intent: Intent, facts: Record<string, string> = {}, stage?: string, asks: Pick<AgentTurn['message'], 'question' | 'knowledge'> = {}): AgentTurn => ({
  message: { messageId: 'm', body, channel: 'sms', at: '2026-11-23T10:00:00Z', intent, ...asks },
  facts,
  history: [],
  stage,
  turn: 1,
});

describe('the automated agents (pure decisions)', () => {
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
});
