import { describe, expect, it } from 'vitest';
import { classifyByRules, escalationKeywordIn, extractEntities } from './intent-rules';

describe('the rules intent classifier', () => {
  it.each([
    ['I want to return my order #4417', 'en', 'returns'],
    ['Can I get a refund?', 'en', 'returns'],
    ['The shoes are too small', 'en', 'returns'],
    ['Can I talk to a person please?', 'en', 'human'],
    ['I want a refund, let me speak to a human', 'en', 'human'],
    ['How much is the premium plan?', 'en', 'sales'],
    ['Do you have a discount code?', 'en', 'sales'],
    ['My password is not working', 'en', 'support'],
    ['Where is my order?', 'en', 'support'],
    ['hello!', 'en', 'greeting'],
    ['Thanks!', 'en', 'thanks'],
    ['Thanks, but I still need my refund', 'en', 'returns'],
    ['blorp', 'en', 'unknown'],
    ['', 'en', 'unknown'],
    ['Quero devolver o pedido 4417', 'pt-BR', 'returns'],
    ['Quero falar com um atendente', 'pt-BR', 'human'],
    ['Qual o preço do plano?', 'pt', 'sales'],
    ['obrigada', 'pt-BR', 'thanks'],
    ['Necesito una devolución', 'es', 'returns'],
    ['quiero hablar con una persona', 'es', 'human'],
    // Every locale's rules are tried: a Brazilian customer writing English is understood.
    ['I want to return my order', 'pt-BR', 'returns'],
  ])('%s (%s) → %s', (text, locale, intent) => {
    expect(classifyByRules(text, locale).intent).toBe(intent);
  });

  it('gives a confidence that drops when intents compete', () => {
    expect(classifyByRules('I want a refund').confidence).toBe(1);
    const mixed = classifyByRules('refund or discount?');
    expect(mixed.confidence).toBeGreaterThan(0);
    expect(mixed.confidence).toBeLessThan(1);
  });

  it('finds order numbers and email addresses', () => {
    expect(extractEntities('return my order #4417 please')).toEqual({ orderId: '4417' });
    expect(extractEntities('Order number A-991 and ana@Example.com')).toEqual({ orderId: 'A-991', email: 'ana@example.com' });
    expect(extractEntities('pedido nº 5521')).toEqual({ orderId: '5521' });
    expect(extractEntities('order status please')).toEqual({});
  });

  it('matches escalation keywords and phrases as whole words', () => {
    expect(escalationKeywordIn('I will call my Lawyer!', ['lawyer', 'complaint'])).toBe('lawyer');
    expect(escalationKeywordIn('file a formal complaint', ['formal complaint'])).toBe('formal complaint');
    expect(escalationKeywordIn('lawyers are expensive', ['lawyer'])).toBeUndefined();
    expect(escalationKeywordIn('anything', [])).toBeUndefined();
  });
});
