import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quietHoursAt, quietHoursModeFor } from './quiet-hours';
import {
  globalPolicyFromEnv,
  matchInboundKeyword,
  parsePolicyLayer,
  policyForSending,
  resolvePolicy,
  textForLocale,
  type PolicyLayerDocument,
} from './messaging-policy';
import { REGION_TIME_ZONES } from './local-time';

const GLOBAL = globalPolicyFromEnv({
  quietHours: { default: { start: '21:00', end: '08:00' }, regions: { BR: { start: '20:00', end: '09:00' } } },
  quietHoursMode: 'queue',
  channelDefaults: { BR: ['whatsapp', 'sms'], US: ['sms', 'rcs'], '*': ['sms', 'email'] },
  frequencyCaps: [{ channel: 'sms', max: 3, windowMs: 86_400_000, label: 'sms:3/1 day' }],
  workspaceTimeZone: 'UTC',
  regionTimeZones: { BR: 'America/Sao_Paulo', US: 'America/New_York' },
  stopWords: ['PARAR', 'SAIR'],
  helpWords: ['AJUDA'],
  helpReply: 'Reply STOP to unsubscribe.',
});

const parsed = (input: unknown): PolicyLayerDocument => {
  const result = parsePolicyLayer(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.document;
};

describe('messaging policy layers', () => {
  it('is, with no workspace policy, exactly what the env said (the global layer and its countries)', () => {
    const sending = policyForSending(GLOBAL, undefined, { ...REGION_TIME_ZONES });
    expect(sending.quietHours).toEqual({ default: { start: '21:00', end: '08:00' }, regions: { BR: { start: '20:00', end: '09:00' } }, mode: 'queue' });
    expect(sending.channelDefaults).toEqual({ '*': ['sms', 'email'], BR: ['whatsapp', 'sms'], US: ['sms', 'rcs'] });
    expect(sending.workspaceTimeZone).toBe('UTC');
    expect(resolvePolicy(GLOBAL, undefined, 'BR').find((rule) => rule.rule === 'quietHours')).toEqual({
      rule: 'quietHours',
      value: { start: '20:00', end: '09:00' },
      source: 'global-country',
      country: 'BR',
    });
  });

  it('takes each rule from the most specific layer: workspace country, workspace, global country, global', () => {
    const workspace = parsed({
      channelOrder: ['sms'],
      quietHoursMode: 'discard',
      timeZone: 'Europe/Lisbon',
      countries: { BR: { channelOrder: ['whatsapp'], quietHours: null, quietHoursMode: 'queue' } },
    });
    const br = Object.fromEntries(resolvePolicy(GLOBAL, workspace, 'br').map((rule) => [rule.rule, [rule.value, rule.source]]));
    expect(br['channelOrder']).toEqual([['whatsapp'], 'workspace-country']);
    expect(br['quietHours']).toEqual([null, 'workspace-country']);
    expect(br['frequencyCaps']).toEqual([[{ channel: 'sms', max: 3, window: '1 day' }], 'global']);
    // A country's zone comes before the workspace's.
    expect(br['timeZone']).toEqual(['America/Sao_Paulo', 'global-country']);
    const us = Object.fromEntries(resolvePolicy(GLOBAL, workspace, 'US').map((rule) => [rule.rule, [rule.value, rule.source]]));
    expect(us['channelOrder']).toEqual([['sms'], 'workspace']);
    expect(us['quietHoursMode']).toEqual(['discard', 'workspace']);
    const fr = Object.fromEntries(resolvePolicy(GLOBAL, workspace, 'FR').map((rule) => [rule.rule, [rule.value, rule.source]]));
    expect(fr['timeZone']).toEqual(['Europe/Lisbon', 'workspace']);

    const sending = policyForSending(GLOBAL, workspace, { ...REGION_TIME_ZONES });
    expect(sending.channelDefaults).toMatchObject({ '*': ['sms'], BR: ['whatsapp'], US: ['sms'] });
    expect(sending.quietHours.mode).toBe('discard');
    expect(sending.quietHours.regionModes).toEqual({ BR: 'queue' });
    expect(sending.quietHours.regions['BR']).toBeNull();
    expect(sending.workspaceTimeZone).toBe('Europe/Lisbon');
    // No quiet hours in Brazil, whatever the default; the default elsewhere, in the workspace's mode.
    const lateInBrazil = Date.parse('2026-03-02T02:30:00Z'); // 23:30 in São Paulo
    expect(quietHoursAt(lateInBrazil, sending, { country: 'BR' })).toBeUndefined();
    expect(quietHoursAt(lateInBrazil, sending, { country: 'FR', timezone: 'America/Sao_Paulo' })).toMatchObject({ window: { start: '21:00', end: '08:00' } });
    expect(quietHoursModeFor(sending.quietHours, { country: 'BR' })).toBe('queue');
    expect(quietHoursModeFor(sending.quietHours, { traits: { country: 'fr' } })).toBe('discard');
  });

  it('matches the standard keywords and each language\'s, whole message only, and picks replies by locale', () => {
    const keywords = parsed({ keywords: { pt: { stop: ['parar'], help: ['ajuda'] }, es: { stop: ['baja'] } } }).keywords;
    expect(matchInboundKeyword(' Stop. ', keywords)).toEqual({ kind: 'stop', word: 'STOP' });
    expect(matchInboundKeyword('parar!', keywords)).toEqual({ kind: 'stop', word: 'PARAR', language: 'pt' });
    expect(matchInboundKeyword('Baja', keywords)).toEqual({ kind: 'stop', word: 'BAJA', language: 'es' });
    expect(matchInboundKeyword('quero parar agora', keywords)).toBeUndefined();
    expect(matchInboundKeyword('AJUDA', keywords)).toMatchObject({ kind: 'help', language: 'pt' });
    const replies = { 'pt-BR': 'Ajuda', en: 'Help', es: 'Ayuda' };
    expect(textForLocale(replies, 'pt-BR')?.text).toBe('Ajuda');
    expect(textForLocale(replies, 'pt')?.text).toBe('Ajuda');
    expect(textForLocale(replies, 'es-MX')?.text).toBe('Ayuda');
    expect(textForLocale(replies, 'de')?.text).toBe('Help');
    expect(textForLocale(replies, undefined)?.text).toBe('Help');
    expect(textForLocale({}, 'en')).toBeUndefined();
  });

  it('names the path of every problem', () => {
    const result = parsePolicyLayer({ quietHours: { start: '8', end: '09:00' }, countries: { BR: { senders: { sms: '123' }, keywords: { pt: { stop: ['a b'] } } } }, x: 1 });
    expect(result.ok).toBe(false);
    const paths = !result.ok ? result.issues.map((issue) => issue.path.join('.')) : [];
    expect(paths).toEqual(expect.arrayContaining(['quietHours.start', 'countries.BR.senders.sms', 'countries.BR.keywords.pt.stop.0', '']));
  });

  it('never throws on any JSON and gives every issue a message (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = parsePolicyLayer(value);
        if (!result.ok) for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(0);
        else expect(policyForSending(GLOBAL, result.document, {})).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });
});
