import { describe, expect, it } from 'vitest';
import { escalationKeywordIn, extractEntities, wordsBesideSize } from './message-facts';

describe('facts in a message', () => {
  it('finds order numbers and email addresses', () => {
    expect(extractEntities('return my order #4417 please')).toEqual({ orderId: '4417' });
    expect(extractEntities('Order number A-991 and ana@Example.com')).toEqual({ orderId: 'A-991', email: 'ana@example.com' });
    expect(extractEntities('Do you have these running shoes in size 42?')).toEqual({ size: '42' });
    expect(extractEntities('vocês têm no tamanho 40,5?')).toEqual({ size: '40.5' });
    expect(extractEntities('¿la tienen en talla m?')).toEqual({ size: 'M' });
    expect(extractEntities('the EU 44 ones')).toEqual({ size: '44' });
    expect(extractEntities('is 38 EU available')).toEqual({ size: '38' });
    // Not a size: a word that merely starts like one, a bare number.
    expect(extractEntities('what sizes do you have')).toEqual({});
    expect(extractEntities('size small please')).toEqual({});
    expect(extractEntities('I am 42')).toEqual({});
    // What a reply says besides its size (the size word, `eu`, the number or letter are not counted).
    expect(wordsBesideSize('ok, size 42 then')).toBe(2);
    expect(wordsBesideSize('tamanho M, por favor')).toBe(2);
    expect(wordsBesideSize('the EU 44 ones')).toBe(2);
    expect(wordsBesideSize('I want to return the size 42 ones from order #4417, they pinch')).toBe(11);
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
