import { z } from 'zod';

/**
 * A workspace's voice (the policy rule `voice`, docs/messaging.md "Tone of voice"): how its messages
 * address the customer, how they sign off, and whether they may carry emoji. Templates read it as
 * `voice` and the automated agents answer with it.
 */

/** The form of address: informal (pt-BR *você*, es *tú*) or formal (pt-BR *o senhor / a senhora*, es *usted*). */
export const FORMS_OF_ADDRESS = ['informal', 'formal'] as const;
export type FormOfAddress = (typeof FORMS_OF_ADDRESS)[number];

/** The voice as it applies: every part decided (an unset part takes the default). */
export interface Voice {
  address: FormOfAddress;
  /** The line messages end with (agents add it to each answer; templates place `{{ voice.signOff }}`); '' for none. */
  signOff: string;
  /** false: emoji are taken out of rendered templates and agents' answers. */
  emoji: boolean;
}

/** A workspace without a voice: informal, no sign-off, emoji allowed (what was sent before voices existed). */
export const DEFAULT_VOICE: Voice = { address: 'informal', signOff: '', emoji: true };

// One emoji: a flag, a keycap, or a pictograph (shown as emoji by default or asked to be with U+FE0F)
// with its skin tone, its ZWJ sequence and tag characters. ©, ® and ™ without U+FE0F are text, not emoji.
const PICTOGRAPH = String.raw`(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)\p{Emoji_Modifier}?\uFE0F?`;
const EMOJI_SOURCE = String.raw`(?:\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3|${PICTOGRAPH}(?:\u200D(?:\p{Extended_Pictographic})\p{Emoji_Modifier}?\uFE0F?)*[\u{E0020}-\u{E007F}]*)`;
const EMOJI = new RegExp(EMOJI_SOURCE, 'u');
// A run of emoji with the spaces around it, taken out together so no double space is left.
const EMOJI_RUN = new RegExp(String.raw`[ \t]*${EMOJI_SOURCE}(?:[ \t]*${EMOJI_SOURCE})*[ \t]*`, 'gu');

/** Whether `text` holds an emoji. */
export function hasEmoji(text: string): boolean {
  return EMOJI.test(text);
}

/** `text` without its emoji: "Olá 👋 Ana" → "Olá Ana", "Pronto! 🎉" → "Pronto!". Text without emoji is returned as it is. */
export function stripEmoji(text: string): string {
  return text.replace(EMOJI_RUN, (run: string, offset: number, whole: string) => {
    const before = whole[offset - 1];
    const after = whole[offset + run.length];
    const edge = before === undefined || before === '\n' || after === undefined || after === '\n' || after === '\r' || /[.,!?;:)]/.test(after);
    return edge || !/[ \t]/.test(run) ? '' : ' ';
  });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_SIGN_OFF = 160;

/** The `voice` rule of a policy layer: any of its parts (an unset one is the default, not another layer's: a layer gives the whole voice). */
export const voiceSchema = z
  .object({
    address: z.enum(FORMS_OF_ADDRESS, { errorMap: () => ({ message: 'must be "informal" or "formal"' }) }),
    signOff: z
      .string({ invalid_type_error: 'must be text' })
      .max(MAX_SIGN_OFF, `must be at most ${MAX_SIGN_OFF} characters`)
      .refine((value) => !CONTROL.test(value), 'must not contain control characters')
      .refine((value) => !LONE_SURROGATE.test(value), 'must not contain lone surrogates'),
    emoji: z.boolean({ invalid_type_error: 'must be true (emoji allowed) or false' }),
  })
  .partial()
  .strict()
  .superRefine((voice, ctx) => {
    if (voice.emoji === false && voice.signOff !== undefined && hasEmoji(voice.signOff)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['signOff'], message: 'has an emoji, and this voice says emoji: false' });
    }
  });

export type VoiceRule = z.infer<typeof voiceSchema>;

/** The voice a rule gives (none: the default voice). */
export function voiceOf(rule: VoiceRule | undefined): Voice {
  return {
    address: rule?.address ?? DEFAULT_VOICE.address,
    signOff: rule?.signOff?.trim() ?? DEFAULT_VOICE.signOff,
    emoji: rule?.emoji ?? DEFAULT_VOICE.emoji,
  };
}

/** What templates read as `voice`: its parts, and `formal` / `informal` to write the two variants. */
export function voiceForTemplates(voice: Voice): Voice & { formal: boolean; informal: boolean } {
  return { ...voice, formal: voice.address === 'formal', informal: voice.address === 'informal' };
}

/** An answer in the voice: its sign-off on a line of its own, emoji out when the voice has none. */
export function inVoice(text: string, voice: Voice | undefined): string {
  if (!voice) return text;
  const signed = voice.signOff && !text.trimEnd().endsWith(voice.signOff) ? `${text}\n${voice.signOff}` : text;
  return voice.emoji ? signed : stripEmoji(signed);
}
