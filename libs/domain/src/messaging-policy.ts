import { z } from 'zod';
import { SEND_CHANNELS, type SendChannel } from './channel-defaults';
import { CHANNELS } from './customer-traits';
import { parseDuration, type FrequencyCapRule } from './duration';
import { isValidTimeZone, type LocalWindow } from './local-time';
import { voiceSchema } from './voice';

/**
 * The governance policy in layers (docs/messaging.md, "Policy layers"): the deployment's global
 * defaults (its env), a workspace's own rules, and inside each per-country overrides. For a customer
 * each rule comes from the most specific layer that sets it: the workspace's country override, the
 * workspace, the global country override, the global defaults (time zones: the country's before the
 * workspace's, as they always were).
 */

export const POLICY_LAYERS = ['global', 'global-country', 'workspace', 'workspace-country'] as const;
export type PolicyLayer = (typeof POLICY_LAYERS)[number];

export const CONSENT_REQUIREMENTS = ['implicit', 'explicit', 'double_opt_in'] as const;
export type ConsentRequirement = (typeof CONSENT_REQUIREMENTS)[number];

const MAX_TEXT = 1600;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'must not contain control characters')
    .refine((value) => !LONE_SURROGATE.test(value), 'must not contain lone surrogates');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM, e.g. 21:00');
const channel = z.enum(SEND_CHANNELS);
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +5511999990000');
const inboundEmail = z
  .string()
  .max(254)
  .regex(/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/, 'must be an E.164 number or an email address')
  .transform((address) => address.toLowerCase());
/** ISO 3166-1 alpha-2 country code, upper case. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;
/** A BCP 47 language or locale tag as used by templates: `pt`, `pt-BR`, `en-US`. */
export const LOCALE_TAG = /^[a-z]{2,3}(-[A-Z]{2}|-[A-Za-z]{4}(-[A-Z]{2})?)?$/;
const locale = z.string().regex(LOCALE_TAG, 'must be a language or locale such as pt or pt-BR');
const keyword = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}'-]{0,29}$/u, 'must be one word of letters or digits (at most 30)')
  .transform((word) => word.toUpperCase());
const keywords = z.array(keyword).max(20, 'at most 20 keywords').refine((words) => new Set(words).size === words.length, 'a keyword is listed twice');

const frequencyCap = z
  .object({
    channel: z.union([z.enum(CHANNELS), z.literal('*')]),
    max: z.number().int().min(1).max(100_000),
    window: z.string().superRefine((value, ctx) => {
      try {
        if (parseDuration(value) <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be longer than 0' });
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
  })
  .strict();

/** The rules a layer may set; every one is optional (absent: the next layer's). */
export const policyRulesSchema = z
  .object({
    /** Channel order for `channel: 'auto'` sends. */
    channelOrder: z
      .array(channel)
      .min(1, 'at least one channel')
      .refine((channels) => new Set(channels).size === channels.length, 'a channel is listed twice'),
    /** The daily local window in which marketing messages wait or are dropped; null: none. */
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().nullable(),
    quietHoursMode: z.enum(['queue', 'discard']),
    /** The zone of customers without their own: the country's (country layer) or the workspace's. */
    timeZone: z.string().refine((zone) => isValidTimeZone(zone), 'must be an IANA time zone such as America/Sao_Paulo'),
    /** Per customer, over rolling windows; transactional messages are not capped. */
    frequencyCaps: z.array(frequencyCap).max(20, 'at most 20 caps'),
    /** What consent a marketing send needs, per channel (item 3, double opt-in, builds on this). */
    consent: z.record(channel, z.enum(CONSENT_REQUIREMENTS)),
    /**
     * Inbound keywords per language, besides the carriers' standard STOP/START/HELP words; `confirm`:
     * the words that confirm a pending double opt-in besides YES (e.g. SIM, SÍ).
     */
    keywords: z.record(locale, z.object({ stop: keywords, start: keywords, help: keywords, confirm: keywords }).partial().strict()),
    /** The answer to HELP per locale (`pt-BR`, `pt`, `en`…). */
    helpReplies: z.record(locale, text(MAX_TEXT)),
    /**
     * The answer to STOP and START per locale (absent: Twilio's own confirmation, no reply from us);
     * under double opt-in, `request` asks the customer to confirm (reply YES) and `confirmed` answers
     * their YES (absent: DEFAULT_CONFIRMATION_REQUEST / the `start` reply).
     */
    confirmationReplies: z.record(
      locale,
      z.object({ stop: text(MAX_TEXT), start: text(MAX_TEXT), request: text(MAX_TEXT), confirmed: text(MAX_TEXT) }).partial().strict(),
    ),
    /** Sender numbers and ids. */
    senders: z
      .object({
        sms: e164,
        whatsapp: e164,
        messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits'),
        email: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address').max(254),
        /** Numbers and email addresses that only receive (a support inbox): their inbound messages land in this workspace. */
        inbound: z
          .array(z.union([e164, inboundEmail]))
          .max(50, 'at most 50 inbound addresses')
          .refine((addresses) => new Set(addresses).size === addresses.length, 'an address is listed twice'),
      })
      .partial()
      .strict(),
    /** The brand's tone of voice, for writers and generated wording (item 2 builds on this). */
    toneOfVoice: text(2000),
    /** The voice messages are written in: {address: informal|formal, signOff, emoji} (templates' `voice`, the agents' answers). */
    voice: voiceSchema,
  })
  .partial()
  .strict();

export type PolicyRules = z.infer<typeof policyRulesSchema>;
export type PolicyRuleName = keyof PolicyRules;
export const POLICY_RULES = Object.keys(policyRulesSchema.shape) as PolicyRuleName[];

/** One layer: its rules and, per ISO country, the rules that replace them for customers there. */
export const policyLayerSchema = policyRulesSchema
  .extend({
    countries: z.record(z.string().regex(COUNTRY_CODE, 'must be an ISO country code such as BR'), policyRulesSchema),
  })
  .partial()
  .strict();

export type PolicyLayerDocument = z.infer<typeof policyLayerSchema>;
/** What a caller writes (keywords in any case; they are stored upper case). */
export type PolicyLayerInput = z.input<typeof policyLayerSchema>;

export interface PolicyIssue {
  /** Path inside the document, e.g. ["countries", "BR", "quietHours", "start"]. */
  path: string[];
  message: string;
}

/** A document, or every problem with it (each naming its path inside the document). */
export function parsePolicyLayer(input: unknown): { ok: true; document: PolicyLayerDocument } | { ok: false; issues: PolicyIssue[] } {
  const parsed = policyLayerSchema.safeParse(input);
  if (parsed.success) return { ok: true, document: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String),
      message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    })),
  };
}

/** A rule as it applies to one customer: its value and the layer it came from. */
export interface EffectiveRule<K extends PolicyRuleName = PolicyRuleName> {
  rule: K;
  value: PolicyRules[K];
  source: PolicyLayer;
  /** The country of the country layer it came from. */
  country?: string;
}

/** The rules for a customer in `country` (none: the workspace-wide rules), each with its source. */
export function resolvePolicy(global: PolicyLayerDocument, workspace: PolicyLayerDocument | undefined, country: string | undefined): EffectiveRule[] {
  const upper = country?.toUpperCase();
  const layers: Array<{ source: PolicyLayer; rules: PolicyRules | undefined }> = [
    { source: 'workspace-country', rules: upper ? workspace?.countries?.[upper] : undefined },
    { source: 'workspace', rules: workspace },
    { source: 'global-country', rules: upper ? global.countries?.[upper] : undefined },
    { source: 'global', rules: global },
  ];
  // A country's zone comes before the workspace's (a workspace zone is the last fallback, as QUIET_HOURS always read it).
  const zoneLayers = [layers[0]!, layers[2]!, layers[1]!, layers[3]!];
  const result: EffectiveRule[] = [];
  for (const rule of POLICY_RULES) {
    const from = (rule === 'timeZone' ? zoneLayers : layers).find((layer) => layer.rules?.[rule] !== undefined);
    if (!from) continue;
    result.push({
      rule,
      value: from.rules![rule],
      source: from.source,
      ...(from.source.endsWith('country') ? { country: upper } : {}),
    } as EffectiveRule);
  }
  return result;
}

/** `resolvePolicy` as a plain object of values. */
export function effectiveRules(global: PolicyLayerDocument, workspace: PolicyLayerDocument | undefined, country: string | undefined): PolicyRules {
  return Object.fromEntries(resolvePolicy(global, workspace, country).map((rule) => [rule.rule, rule.value])) as PolicyRules;
}

/** Frequency caps of a policy as the send path checks them. */
export function frequencyCapRules(caps: PolicyRules['frequencyCaps']): FrequencyCapRule[] {
  return (caps ?? []).map((cap) => ({ channel: cap.channel, max: cap.max, windowMs: parseDuration(cap.window), label: `${cap.channel}:${cap.max}/${cap.window.trim()}` }));
}

/** The quiet-hours part of the messaging policy the journeys read (see MessagingPolicy in contracts). */
export interface PolicyForSending {
  quietHours: { default?: LocalWindow; regions: Record<string, LocalWindow | null>; mode: 'queue' | 'discard'; regionModes?: Record<string, 'queue' | 'discard'> };
  channelDefaults: Record<string, SendChannel[]>;
  regionTimeZones: Record<string, string>;
  workspaceTimeZone: string;
}

/**
 * The rules of a workspace for every country either layer names, in the shape journeys and
 * broadcasts read at send time (`getMessagingPolicy`): one answer per workspace, the customer's
 * country picked inside by the rules themselves.
 */
export function policyForSending(global: PolicyLayerDocument, workspace: PolicyLayerDocument | undefined, regionTimeZones: Record<string, string>): PolicyForSending {
  const base = effectiveRules(global, workspace, undefined);
  const countries = new Set([...Object.keys(global.countries ?? {}), ...Object.keys(workspace?.countries ?? {})]);
  const mode = base.quietHoursMode ?? 'queue';
  const result: PolicyForSending = {
    quietHours: { ...(base.quietHours ? { default: base.quietHours } : {}), regions: {}, mode },
    channelDefaults: { '*': base.channelOrder ?? ['sms'] },
    regionTimeZones: { ...regionTimeZones },
    workspaceTimeZone: (workspace?.timeZone ?? global.timeZone) || 'UTC',
  };
  for (const country of [...countries].sort()) {
    const rules = effectiveRules(global, workspace, country);
    const window = rules.quietHours ?? null;
    const same = (window === null && !base.quietHours) || (window !== null && base.quietHours && window.start === base.quietHours.start && window.end === base.quietHours.end);
    if (!same) result.quietHours.regions[country] = window;
    if (rules.quietHoursMode && rules.quietHoursMode !== mode) (result.quietHours.regionModes ??= {})[country] = rules.quietHoursMode;
    if (rules.channelOrder) result.channelDefaults[country] = rules.channelOrder;
    const zone = workspace?.countries?.[country]?.timeZone ?? global.countries?.[country]?.timeZone;
    if (zone) result.regionTimeZones[country] = zone;
  }
  return result;
}

/** Twilio's standard opt-out, opt-in and help keywords (the carriers' rules, always honoured). */
export const STANDARD_STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
export const STANDARD_START_WORDS = ['START', 'YES', 'UNSTOP'];
export const STANDARD_HELP_WORDS = ['HELP', 'INFO'];
/** The words that confirm a pending double opt-in in every language (YES is also a START word when nothing is pending). */
export const STANDARD_CONFIRM_WORDS = ['YES'];
/** The confirmation request when the policy has none for the customer's locale. */
export const DEFAULT_CONFIRMATION_REQUEST = 'Reply YES to confirm that you want to receive our messages. Reply STOP to opt out.';

export interface InboundKeywordMatch {
  /** `confirm`: the YES (or a local word) that confirms a pending double opt-in; only matched while one is pending. */
  kind: 'stop' | 'start' | 'help' | 'confirm';
  /** The keyword as matched, upper case (recorded as the consent source `inbound:<word>`). */
  word: string;
  /** The language whose list holds it (absent: a standard word). */
  language?: string;
}

/**
 * The keyword an inbound message is, if it is one: the whole message, ignoring case, surrounding
 * space and trailing punctuation ("Stop.", " parar "), never a word inside a sentence. The
 * standard words first, then each language's words of the policy.
 */
export function matchInboundKeyword(body: string, policyKeywords: PolicyRules['keywords'], options: { confirming?: boolean } = {}): InboundKeywordMatch | undefined {
  const word = body
    .trim()
    .replace(/^[¡¿]+/u, '')
    .replace(/[.!?¡¿]+$/u, '')
    .trim()
    .toUpperCase();
  if (word === '') return undefined;
  // While a double opt-in waits, YES and the local confirm words confirm it (before YES could count as START).
  if (options.confirming) {
    if (STANDARD_CONFIRM_WORDS.includes(word)) return { kind: 'confirm', word };
    for (const [language, lists] of Object.entries(policyKeywords ?? {})) {
      if (lists.confirm?.includes(word)) return { kind: 'confirm', word, language };
    }
  }
  if (STANDARD_STOP_WORDS.includes(word)) return { kind: 'stop', word };
  if (STANDARD_START_WORDS.includes(word)) return { kind: 'start', word };
  if (STANDARD_HELP_WORDS.includes(word)) return { kind: 'help', word };
  for (const kind of ['stop', 'start', 'help'] as const) {
    for (const [language, lists] of Object.entries(policyKeywords ?? {})) {
      if (lists[kind]?.includes(word)) return { kind, word, language };
    }
  }
  return undefined;
}

/** The text for `locale` in a per-locale map: the exact locale, then its language, then `en`, then the first. */
export function textForLocale(byLocale: Record<string, string> | undefined, locale: string | undefined): { locale: string; text: string } | undefined {
  if (!byLocale) return undefined;
  const entries = Object.entries(byLocale);
  if (entries.length === 0) return undefined;
  const wanted = locale ? [locale, locale.split('-')[0]!] : [];
  for (const candidate of wanted) {
    const found = entries.find(([key]) => key.toLowerCase() === candidate.toLowerCase());
    if (found) return { locale: found[0], text: found[1] };
  }
  if (locale) {
    const language = locale.split('-')[0]!.toLowerCase();
    const sameLanguage = entries.find(([key]) => key.split('-')[0]!.toLowerCase() === language);
    if (sameLanguage) return { locale: sameLanguage[0], text: sameLanguage[1] };
  }
  const fallback = entries.find(([key]) => key === 'en') ?? entries[0]!;
  return { locale: fallback[0], text: fallback[1] };
}

/** The confirmation reply of `kind` in a policy for `locale` (see textForLocale), if the policy has one. */
export function confirmationReplyFor(kind: 'stop' | 'start' | 'request' | 'confirmed', replies: PolicyRules['confirmationReplies'], locale: string | undefined): string | undefined {
  const texts = Object.fromEntries(Object.entries(replies ?? {}).flatMap(([tag, byKind]) => (byKind[kind] ? [[tag, byKind[kind]]] : [])));
  return textForLocale(texts, locale)?.text;
}

/** What asks a customer to confirm a double opt-in: the policy's `request` for their locale, else DEFAULT_CONFIRMATION_REQUEST. */
export function confirmationRequestFor(replies: PolicyRules['confirmationReplies'], locale: string | undefined): string {
  return confirmationReplyFor('request', replies, locale) ?? DEFAULT_CONFIRMATION_REQUEST;
}

/** What the deployment's env says, as the global layer (so a deployment without policies behaves as before). */
export interface GlobalPolicyEnv {
  quietHours: { default?: LocalWindow; regions: Record<string, LocalWindow> };
  quietHoursMode: 'queue' | 'discard';
  channelDefaults: Record<string, SendChannel[]>;
  frequencyCaps: FrequencyCapRule[];
  workspaceTimeZone: string;
  /** The zone of each country, for customers without their own (REGION_TIME_ZONES). */
  regionTimeZones?: Record<string, string>;
  stopWords?: string[];
  startWords?: string[];
  helpWords?: string[];
  helpReply?: string;
  senders?: { sms?: string; whatsapp?: string; messagingServiceSid?: string; email?: string };
}

/** The global layer from env values (parsed by libs/config). */
export function globalPolicyFromEnv(env: GlobalPolicyEnv): PolicyLayerDocument {
  const countries: Record<string, PolicyRules> = {};
  const country = (code: string) => (countries[code] ??= {});
  for (const [code, zone] of Object.entries(env.regionTimeZones ?? {})) country(code).timeZone = zone;
  for (const [code, window] of Object.entries(env.quietHours.regions)) country(code).quietHours = window;
  for (const [code, order] of Object.entries(env.channelDefaults)) if (code !== '*') country(code).channelOrder = [...order];
  const senders = Object.fromEntries(Object.entries(env.senders ?? {}).filter(([, value]) => value !== undefined && value !== ''));
  const words = { stop: env.stopWords ?? [], start: env.startWords ?? [], help: env.helpWords ?? [] };
  return {
    ...(env.channelDefaults['*'] ? { channelOrder: [...env.channelDefaults['*']] } : { channelOrder: ['sms'] }),
    quietHours: env.quietHours.default ?? null,
    quietHoursMode: env.quietHoursMode,
    timeZone: env.workspaceTimeZone,
    frequencyCaps: env.frequencyCaps.map((cap) => ({ channel: cap.channel as 'sms', max: cap.max, window: cap.label.slice(cap.label.indexOf('/') + 1) })),
    consent: {},
    // Env words are not tied to a language: kept under `und` (undetermined) unless empty.
    keywords: words.stop.length + words.start.length + words.help.length > 0 ? { und: words } : {},
    helpReplies: env.helpReply ? { en: env.helpReply } : {},
    confirmationReplies: {},
    senders,
    ...(Object.keys(countries).length > 0 ? { countries } : {}),
  };
}
