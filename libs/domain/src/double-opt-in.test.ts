import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchInboundKeyword, parsePolicyLayer, STANDARD_START_WORDS, STANDARD_STOP_WORDS } from './messaging-policy';

/** Double opt-in words and inbound addresses in the policy (docs/messaging.md, "Double opt-in", "Inbound to its workspace"). */
describe('double opt-in keywords', () => {
  const keywords = { pt: { confirm: ['SIM'] }, es: { confirm: ['SÍ', 'SI'] }, en: { start: ['JOIN'] } };

  it('matches YES and the local confirm words only while a confirmation is pending; otherwise YES is a START word', () => {
    expect(matchInboundKeyword('yes', keywords, { confirming: true })).toEqual({ kind: 'confirm', word: 'YES' });
    expect(matchInboundKeyword(' Sim! ', keywords, { confirming: true })).toEqual({ kind: 'confirm', word: 'SIM', language: 'pt' });
    expect(matchInboundKeyword('¡Sí!', keywords, { confirming: true })).toEqual({ kind: 'confirm', word: 'SÍ', language: 'es' });
    expect(matchInboundKeyword('yes', keywords)).toEqual({ kind: 'start', word: 'YES' });
    expect(matchInboundKeyword('sim', keywords)).toBeUndefined();
    // STOP always stops, pending or not; a sentence with YES in it confirms nothing.
    expect(matchInboundKeyword('stop', keywords, { confirming: true })).toEqual({ kind: 'stop', word: 'STOP' });
    expect(matchInboundKeyword('yes please call me', keywords, { confirming: true })).toBeUndefined();
  });

  it('never confirms on a word that is no confirm word, and never loses a STOP word to confirmation (property)', () => {
    const confirmWords = new Set(['YES', 'SIM', 'SÍ', 'SI']);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.boolean(), (body, confirming) => {
        const match = matchInboundKeyword(body, keywords, { confirming });
        if (match?.kind === 'confirm') {
          expect(confirming).toBe(true);
          expect(confirmWords.has(match.word)).toBe(true);
        }
        const stop = STANDARD_STOP_WORDS.find((word) => word === body.trim().toUpperCase());
        if (stop) expect(match).toEqual({ kind: 'stop', word: stop });
        if (!confirming && STANDARD_START_WORDS.includes(body.trim().toUpperCase())) expect(match?.kind).toBe('start');
      }),
      { numRuns: 500 },
    );
  });

  it('accepts confirm words, request and confirmed replies, and inbound numbers and inboxes (lower-cased), naming the path of a bad one', () => {
    const ok = parsePolicyLayer({
      keywords: { 'pt-BR': { confirm: ['sim'] } },
      confirmationReplies: { 'pt-BR': { request: 'Responda SIM', confirmed: 'Pronto' } },
      senders: { inbound: ['+5511999990001', 'Contato@Loja.test'] },
      countries: { BR: { consent: { sms: 'double_opt_in' } } },
    });
    expect(ok).toMatchObject({ ok: true, document: { keywords: { 'pt-BR': { confirm: ['SIM'] } }, senders: { inbound: ['+5511999990001', 'contato@loja.test'] } } });
    const bad = parsePolicyLayer({ senders: { inbound: ['+55', 'not an address'] }, confirmationReplies: { en: { request: '' } } });
    expect(bad.ok).toBe(false);
    const paths = !bad.ok ? bad.issues.map((issue) => issue.path.join('.')) : [];
    expect(paths).toEqual(expect.arrayContaining(['senders.inbound.0', 'senders.inbound.1', 'confirmationReplies.en.request']));
  });

  it('keeps an inbound address only if it is an E.164 number or an email address (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.emailAddress(), fc.stringMatching(/^\+[1-9]\d{6,14}$/)), { maxLength: 5 }), (addresses) => {
        const result = parsePolicyLayer({ senders: { inbound: addresses } });
        if (!result.ok) return;
        for (const address of result.document.senders!.inbound!) expect(/^\+[1-9]\d{6,14}$/.test(address) || /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(address)).toBe(true);
        expect(new Set(result.document.senders!.inbound!).size).toBe(result.document.senders!.inbound!.length);
      }),
      { numRuns: 300 },
    );
  });
});
