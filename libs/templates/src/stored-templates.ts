import { DEFAULT_VOICE, stripEmoji, voiceForTemplates, type Voice } from '@continuum/domain';
import { renderTemplate, type TemplateVersion } from './liquid-renderer';
import { localeFallbackChain } from './locale-fallback';

/** Where published versions are read from (the TemplateStore on PostgreSQL). */
export interface StoredTemplateSource {
  /** The latest version for the first of `locales` that has one, or null. */
  latestFor(workspaceId: string, name: string, locales: string[]): Promise<(TemplateVersion & { channel: string }) | null>;
}

export type StoredRenderOutcome =
  | { ok: true; text: string; name: string; locale: string; version: number; channel: string }
  | { ok: false; message: string };

/** A bad template name or locale given by a caller, naming the field. */
export class TemplateInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateInputError';
  }
}

const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** Template names are lower-case slugs: `order-shipped`, `cart.reminder_1`. */
export function validateTemplateName(name: string): string {
  if (!TEMPLATE_NAME.test(name)) {
    throw new TemplateInputError('name', `${JSON.stringify(name)} is not a template name: 1 to 100 of a-z, 0-9, "-", "_", "." starting with a letter or digit`);
  }
  return name;
}

/**
 * Picks the latest version for `locale` with fallback (`pt-BR` → `pt` → `default`) and renders it
 * against `payload`. A missing template or a render error is an outcome, not an exception: both
 * are permanent for this payload. Only a failing read of the source throws.
 *
 * The workspace's voice is the template's `voice` ({{ voice.signOff }}, {% if voice.formal %}…):
 * the default voice when none is given, so a template may always name it. A voice without emoji
 * takes them out of the rendered text (a payload's emoji included).
 */
export async function renderStoredTemplate(
  source: StoredTemplateSource,
  request: { workspaceId: string; name: string; locale?: string | null; payload: Record<string, unknown>; voice?: Voice },
): Promise<StoredRenderOutcome> {
  const chain = localeFallbackChain(request.locale);
  const template = await source.latestFor(request.workspaceId, request.name, chain);
  if (!template) return { ok: false, message: `no template "${request.name}" for locale ${chain[0]} (tried ${chain.join(', ')})` };
  const voice = request.voice ?? DEFAULT_VOICE;
  const rendered = renderTemplate(template, { ...request.payload, voice: voiceForTemplates(voice) });
  if (!rendered.ok) return rendered;
  const text = voice.emoji ? rendered.text : stripEmoji(rendered.text);
  return { ok: true, text, name: template.name, locale: template.locale, version: template.version, channel: template.channel };
}
