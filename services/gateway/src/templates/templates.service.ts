import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal, MessageTemplateVersion } from '@continuum/data';
import { TemplateStore } from '@continuum/data';
import { isChannel } from '@continuum/domain';
import { checkTemplateSyntax, DEFAULT_LOCALE, normaliseTemplateLocale, renderStoredTemplate, TemplateInputError, validateTemplateName } from '@continuum/templates';
import { GatewayException, GatewayErrorCode } from '../common/gateway-exception';
import type { PublishTemplateInput } from './dto/publish-template.input';
import type { MessageTemplate, TemplatePreview } from './models/message-template.model';

const MAX_BODY_CHARS = 20_000;

/** Publishing, listing and previewing message templates of the caller's workspace. */
@Injectable()
export class TemplatesService {
  constructor(private readonly templates: TemplateStore) {}

  async list(principal: ApiKeyPrincipal, name: string | null): Promise<MessageTemplate[]> {
    // An omitted argument arrives as undefined, an explicit null as null.
    if (name != null) this.name(name);
    const latest = await this.templates.latest(principal.workspaceId, name ?? undefined);
    return Promise.all(latest.map(async (template) => this.withHistory(principal, template)));
  }

  /** A syntax error, a bad name, locale or channel is BAD_USER_INPUT; the same body twice adds no version. */
  async publish(principal: ApiKeyPrincipal, input: PublishTemplateInput): Promise<MessageTemplate> {
    const name = this.name(input.name);
    const locale = this.locale(input.locale ?? DEFAULT_LOCALE);
    if (!isChannel(input.channel)) throw GatewayException.badInput('input.channel', `${JSON.stringify(input.channel)} is not one of sms, whatsapp, rcs, email, in_app`);
    if (input.body.trim() === '') throw GatewayException.badInput('input.body', 'must not be empty');
    if (input.body.length > MAX_BODY_CHARS) throw GatewayException.badInput('input.body', `must be at most ${MAX_BODY_CHARS} characters`);
    const syntaxError = checkTemplateSyntax(input.body);
    if (syntaxError) throw GatewayException.badInput('input.body', `Liquid syntax error: ${syntaxError}`);
    const { template } = await this.templates.publish(principal.workspaceId, {
      name,
      locale,
      channel: input.channel,
      body: input.body,
      createdBy: `api-key:${principal.keyId}`,
    });
    return this.withHistory(principal, template);
  }

  /** Renders as a send would (latest version, locale fallback, strict variables); a render error is BAD_USER_INPUT. */
  async preview(principal: ApiKeyPrincipal, name: string, locale: string | null, payload: Record<string, unknown>): Promise<TemplatePreview> {
    const normalised = locale == null ? null : this.locale(locale);
    const rendered = await renderStoredTemplate(this.templates, { workspaceId: principal.workspaceId, name: this.name(name), locale: normalised, payload });
    if (rendered.ok) return { text: rendered.text, locale: rendered.locale, version: rendered.version, channel: rendered.channel };
    if (rendered.message.startsWith('no template')) throw new GatewayException(GatewayErrorCode.NotFound, rendered.message, 'name');
    throw GatewayException.badInput('payload', rendered.message);
  }

  private async withHistory(principal: ApiKeyPrincipal, latest: MessageTemplateVersion): Promise<MessageTemplate> {
    const versions = await this.templates.history(principal.workspaceId, latest.name, latest.locale);
    return { name: latest.name, locale: latest.locale, latest, versions };
  }

  private name(name: string): string {
    try {
      return validateTemplateName(name);
    } catch (error) {
      throw error instanceof TemplateInputError ? GatewayException.badInput('name', error.message) : error;
    }
  }

  private locale(locale: string): string {
    try {
      return normaliseTemplateLocale(locale);
    } catch (error) {
      throw GatewayException.badInput('locale', `${(error as Error).message} (or "default")`);
    }
  }
}
