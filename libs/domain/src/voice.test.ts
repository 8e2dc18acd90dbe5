import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicyLayer, resolvePolicy } from './messaging-policy';
import { DEFAULT_VOICE, hasEmoji, inVoice, stripEmoji, voiceForTemplates, voiceOf } from './voice';

describe('voice', () => {
  it('is a policy rule: validated field by field, each problem naming its path', () => {
    expect(parsePolicyLayer({ voice: { address: 'formal', signOff: 'Equipe Loja', emoji: false } })).toMatchObject({ ok: true });
    const bad = parsePolicyLayer({ voice: { address: 'polite', signOff: 'x'.repeat(161), emoji: 'no', tone: 'warm' }, countries: { BR: { voice: { signOff: 'Loja 🎉', emoji: false } } } });
    expect(bad.ok).toBe(false);
    const issues = bad.ok ? [] : bad.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['voice.address', 'must be "informal" or "formal"'],
        ['voice.signOff', 'must be at most 160 characters'],
        ['voice.emoji', 'must be true (emoji allowed) or false'],
        ['voice', 'unknown field(s): tone'],
        ['countries.BR.voice.signOff', 'has an emoji, and this voice says emoji: false'],
      ]),
    );
  });

  it('comes whole from the most specific layer that sets it, and says which', () => {
    const global = { voice: { address: 'informal' as const } };
    const workspace = { voice: { address: 'formal' as const, signOff: 'Store', emoji: false }, countries: { BR: { voice: { address: 'informal' as const, signOff: 'Equipe Loja' } } } };
    expect(resolvePolicy(global, workspace, 'BR').find((rule) => rule.rule === 'voice')).toEqual({ rule: 'voice', value: { address: 'informal', signOff: 'Equipe Loja' }, source: 'workspace-country', country: 'BR' });
    expect(resolvePolicy(global, workspace, 'US').find((rule) => rule.rule === 'voice')).toMatchObject({ source: 'workspace' });
    expect(resolvePolicy(global, undefined, 'US').find((rule) => rule.rule === 'voice')).toMatchObject({ source: 'global', value: { address: 'informal' } });
    // An unset part is the default, not another layer's.
    expect(voiceOf({ address: 'informal', signOff: 'Equipe Loja' })).toEqual({ address: 'informal', signOff: 'Equipe Loja', emoji: true });
    expect(voiceOf(undefined)).toEqual(DEFAULT_VOICE);
    expect(voiceForTemplates(voiceOf({ address: 'formal' }))).toMatchObject({ formal: true, informal: false });
  });

  it('takes emoji out with the spaces around them, and leaves ©, ® and ™ alone', () => {
    expect(stripEmoji('Olá 👋 Ana')).toBe('Olá Ana');
    expect(stripEmoji('Pronto! 🎉🎉')).toBe('Pronto!');
    expect(stripEmoji('🇧🇷 Frete grátis 👍🏽!')).toBe('Frete grátis!');
    expect(stripEmoji('Family 👨‍👩‍👧 day, 1️⃣ offer\nnext line')).toBe('Family day, offer\nnext line');
    expect(stripEmoji('Brand™ and © 2026 ®')).toBe('Brand™ and © 2026 ®');
    expect(hasEmoji('❤️')).toBe(true);
    expect(hasEmoji('I ❤ text')).toBe(false);
  });

  it('signs an answer off once and strips its emoji when the voice has none', () => {
    expect(inVoice('Oi! 😊 Como posso ajudar?', { address: 'informal', signOff: 'Equipe Loja', emoji: false })).toBe('Oi! Como posso ajudar?\nEquipe Loja');
    expect(inVoice('Hi 😊', { address: 'informal', signOff: '', emoji: true })).toBe('Hi 😊');
    expect(inVoice('Thanks\n— Store', { address: 'informal', signOff: '— Store', emoji: true })).toBe('Thanks\n— Store');
    expect(inVoice('Hi 😊', undefined)).toBe('Hi 😊');
  });

  it('property: stripped text has no emoji, stripping twice changes nothing, text without emoji is kept as is', () => {
    const emoji = fc.constantFrom('😊', '👍🏽', '🇧🇷', '👨‍👩‍👧', '1️⃣', '❤️', '🎉', '🏴󠁧󠁢󠁳󠁣󠁴󠁿');
    const piece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), emoji, fc.constantFrom(' ', '\n', '!', '™'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const stripped = stripEmoji(pieces.join(''));
        expect(hasEmoji(stripped)).toBe(false);
        expect(stripEmoji(stripped)).toBe(stripped);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (text) => {
        expect(stripEmoji(text)).toBe(text);
      }),
    );
  });

  it('property: any voice input is either accepted as given or refused with issues under `voice`', () => {
    const value = fc.oneof(fc.string({ maxLength: 200 }), fc.boolean(), fc.integer(), fc.constant(null), fc.constantFrom('formal', 'informal', 'Equipe 🎉'));
    const input = fc.dictionary(fc.constantFrom('address', 'signOff', 'emoji', 'tone'), value, { maxKeys: 4 });
    fc.assert(
      fc.property(input, (voice) => {
        const parsed = parsePolicyLayer({ voice });
        if (parsed.ok) {
          expect(parsed.document.voice).toEqual(voice);
          const applied = voiceOf(parsed.document.voice);
          expect(['informal', 'formal']).toContain(applied.address);
          if (!applied.emoji) expect(hasEmoji(applied.signOff)).toBe(false);
        } else {
          for (const issue of parsed.issues) {
            expect(issue.path[0]).toBe('voice');
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
    );
  });
});
