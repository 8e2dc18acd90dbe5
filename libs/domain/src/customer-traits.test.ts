import { describe, expect, it } from 'vitest';
import { consentChangesOf, customerFieldsOf, CustomerTraitError, normaliseLocale } from './customer-traits';

describe('customerFieldsOf', () => {
  it('normalises identities and profile columns, with the context filling in time zone and locale', () => {
    expect(
      customerFieldsOf(
        { phone: '+55 (11) 91234-5678', whatsapp: 'whatsapp:+5511912345678', email: ' Ana@Example.COM ', address: { country: 'br' } },
        { timezone: 'America/Sao_Paulo', locale: 'pt_br' },
      ),
    ).toEqual({
      phone: '+5511912345678',
      whatsapp: '+5511912345678',
      email: 'ana@example.com',
      timezone: 'America/Sao_Paulo',
      locale: 'pt-BR',
      country: 'BR',
      consent: [],
    });
  });

  it('lets traits win over the context and null remove a value', () => {
    expect(customerFieldsOf({ timezone: null, locale: 'en-us' }, { timezone: 'Asia/Tokyo', locale: 'ja-JP' })).toEqual({
      timezone: null,
      locale: 'en-US',
      consent: [],
    });
  });

  it.each([
    [{ phone: '555-0100' }, 'phone'],
    [{ email: 'not-an-email' }, 'email'],
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ locale: 'portuguese' }, 'locale'],
    [{ country: 'Brazil' }, 'country'],
    [{ consent: 'yes' }, 'consent'],
  ])('rejects %j naming %s', (traits, field) => {
    expect(() => customerFieldsOf(traits)).toThrow(CustomerTraitError);
    try {
      customerFieldsOf(traits);
    } catch (error) {
      expect((error as CustomerTraitError).field).toBe(field);
    }
  });
});

describe('consentChangesOf', () => {
  it('reads a bare status as the marketing purpose, booleans and null as statuses', () => {
    expect(consentChangesOf({ sms: 'unsubscribed', email: { marketing: true, product: null } }, 'consent')).toEqual([
      { channel: 'sms', purpose: 'marketing', status: 'unsubscribed' },
      { channel: 'email', purpose: 'marketing', status: 'subscribed' },
      { channel: 'email', purpose: 'product', status: 'unknown' },
    ]);
  });

  it('names the unknown channel, purpose or status', () => {
    expect(() => consentChangesOf({ fax: 'subscribed' }, 'consent')).toThrow(expect.objectContaining({ field: 'consent.fax', message: expect.stringMatching(/is not a channel/) }));
    expect(() => consentChangesOf({ sms: { 'Big Deals': 'subscribed' } }, 'consent')).toThrow(CustomerTraitError);
    expect(() => consentChangesOf({ sms: 'maybe' }, 'consent')).toThrow(/"maybe" is not a consent status/);
  });
});

describe('normaliseLocale', () => {
  it.each([
    ['pt_br', 'pt-BR'],
    ['ZH-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['en', 'en'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseLocale(raw)).toBe(expected);
  });
});
