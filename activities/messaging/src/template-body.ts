import { ApplicationFailure } from '@temporalio/common';
import type { MessageChannel, SendBaseInput, SendOutcome, SendTemplate } from '@continuum/contracts';
import type { ProfileStore } from '@continuum/data';
import type { Voice } from '@continuum/domain';
import { renderStoredTemplate, type StoredTemplateSource } from '@continuum/templates';

export type RenderedBody = { ok: true; text: string } | { ok: false; message: string };

/** Renders a send's template at the moment of sending (the worker's `renderBody`). */
export type RenderTemplateBody = (request: { workspaceId: string; customerId: string; channel: string; template: SendTemplate }) => Promise<RenderedBody>;

/**
 * The template renderer the worker gives the messaging activities: the latest version for the
 * explicit locale or the profile's (falling back `pt-BR` → `pt` → `default`), rendered strictly,
 * in the customer's voice (the workspace's policy for their country, read now).
 */
export function createTemplateBodyRenderer(deps: {
  templates: StoredTemplateSource;
  profiles: Pick<ProfileStore, 'get'>;
  /** The voice of the workspace for this customer (unset: the default voice). */
  voiceFor?: (workspaceId: string, customerId: string) => Promise<Voice>;
}): RenderTemplateBody {
  return async ({ workspaceId, customerId, channel, template }) => {
    const [locale, voice] = await Promise.all([
      template.locale ?? deps.profiles.get(workspaceId, customerId).then((profile) => profile?.locale),
      deps.voiceFor?.(workspaceId, customerId),
    ]);
    const rendered = await renderStoredTemplate(deps.templates, { workspaceId, name: template.name, locale, payload: template.payload, ...(voice ? { voice } : {}) });
    if (!rendered.ok) return rendered;
    if (rendered.channel !== channel) {
      return { ok: false, message: `template "${rendered.name}" v${rendered.version} (${rendered.locale}) is for ${rendered.channel}, not ${channel}` };
    }
    return { ok: true, text: rendered.text };
  };
}

/**
 * The text a send carries: its body, or its template rendered now. A template that cannot be
 * rendered is a permanent failure (`template error: …`): retrying would render the same error.
 */
export async function bodyToSend(
  input: SendBaseInput & { channel?: MessageChannel },
  renderBody: RenderTemplateBody | undefined,
): Promise<{ body: string } | SendOutcome> {
  if (!input.template) {
    if (input.body === undefined) throw ApplicationFailure.nonRetryable('sendMessage: give a body or a template', 'InvalidSendRequest');
    return { body: input.body };
  }
  if (!renderBody) return { status: 'failed', reason: 'template error: this worker has no templates configured' };
  // MMS carries SMS text: it uses the SMS templates.
  const channel = input.channel === undefined || input.channel === 'mms' ? 'sms' : input.channel;
  const rendered = await renderBody({ workspaceId: input.workspaceId, customerId: input.customerId, channel, template: input.template });
  return rendered.ok ? { body: rendered.text } : { status: 'failed', reason: `template error: ${rendered.message}` };
}
