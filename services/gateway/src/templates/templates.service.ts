import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal, MessageTemplateVersion as StoredVersion, TemplatePosition } from '@continuum/data';
import { TemplateStore } from '@continuum/data';
import { checkTemplateSyntax, DEFAULT_LOCALE, normaliseTemplateLocale, renderStoredTemplate, renderTemplate, TemplateInputError, validateTemplateName } from '@continuum/templates';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { GatewayException, GatewayErrorCode } from '../common/gateway-exception';
import { ChannelName } from '../common/models/channel.model';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import type { PublishTemplateInput } from './dto/publish-template.input';
import type { MessageTemplate, MessageTemplateVersion, TemplatePreview } from './models/message-template.model';

const MAX_BODY_CHARS = 20_000;
/** The channels a template is written for: an MMS send uses the SMS template. */
const TEMPLATE_CHANNELS: readonly ChannelName[] = [ChannelName.SMS, ChannelName.WHATSAPP, ChannelName.RCS, ChannelName.EMAIL, ChannelName.IN_APP];

/** The local id of a template in one locale: "<name>:<locale>" (neither may hold ":"). */
export function templateLocalId(template: { name: string; locale: string }): string {
  return `${template.name}:${template.locale}`;
}

/** The local id of one version: "<name>:<locale>:<version>". */
export function versionLocalId(version: { name: string; locale: string; version: number }): string {
  return `${version.name}:${version.locale}:${version.version}`;
}

/** The (name, locale[, version]) inside a local id, or undefined when it is not one of ours. */
export function parseTemplateLocalId(localId: string): { name: string; locale: string; version?: number } | undefined {
  const parts = localId.split(':');
  if (parts.length < 2 || parts.length > 3 || parts[0] === '' || parts[1] === '') return undefined;
  if (parts.length === 2) return { name: parts[0]!, locale: parts[1]! };
  if (!/^[1-9][0-9]{0,8}$/.test(parts[2]!)) return undefined;
  return { name: parts[0]!, locale: parts[1]!, version: Number(parts[2]) };
}

export function toVersion(stored: StoredVersion): MessageTemplateVersion {
  return {
    name: stored.name,
    locale: stored.locale,
    version: stored.version,
    channel: stored.channel as ChannelName,
    body: stored.body,
    createdAt: stored.createdAt,
    createdBy: stored.createdBy,
  };
}

function toTemplate(latest: StoredVersion): MessageTemplate {
  return { name: latest.name, locale: latest.locale, latest: toVersion(latest) };
}

/** Publishing, listing and previewing message templates of the caller's workspace. */
@Injectable()
export class TemplatesService {
  constructor(private readonly templates: TemplateStore) {}

  /** Templates (latest version per name and locale) ordered by name then locale; a cursor holds the (name, locale). */
  async list(principal: ApiKeyPrincipal, name: string | null | undefined, page: PageArgs): Promise<ConnectionPage<MessageTemplate>> {
    // An omitted argument arrives as undefined, an explicit null as null.
    const only = name != null ? this.name(name) : undefined;
    const request = pageRequest<TemplatePosition>(page, (cursor, argument) => decodePosition(cursor, ['name', 'locale'], () => true, argument));
    const rows = await this.templates.latestPage(principal.workspaceId, only, request);
    return pageOf(
      rows,
      request,
      (row) => ({ cursor: encodePosition({ name: row.name, locale: row.locale }), node: toTemplate(row) }),
      () => this.templates.countTemplates(principal.workspaceId, only),
    );
  }

  /** The versions of one template, newest first; a cursor holds the version number. */
  async versions(principal: ApiKeyPrincipal, template: MessageTemplate, page: PageArgs): Promise<ConnectionPage<MessageTemplateVersion>> {
    const request = pageRequest<number>(page, (cursor, argument) =>
      Number(decodePosition(cursor, ['version'], (position) => /^[1-9][0-9]{0,8}$/.test(position.version), argument).version),
    );
    const rows = await this.templates.versionsPage(principal.workspaceId, template.name, template.locale, request);
    return pageOf(
      rows,
      request,
      (row) => ({ cursor: encodePosition({ version: String(row.version) }), node: toVersion(row) }),
      () => this.templates.countVersions(principal.workspaceId, template.name, template.locale),
    );
  }

  /** Templates by local id ("<name>:<locale>"), null for any not published. */
  async loadTemplates(principal: ApiKeyPrincipal, localIds: readonly string[]): Promise<Array<MessageTemplate | null>> {
    const keys = localIds.map((localId) => parseTemplateLocalId(localId));
    const wanted = keys.filter((key): key is TemplatePosition => key !== undefined && key.version === undefined);
    const found = await this.templates.latestOf(principal.workspaceId, wanted);
    return keys.map((key) => {
      if (!key || key.version !== undefined) return null;
      const latest = found[wanted.indexOf(key)];
      return latest ? toTemplate(latest) : null;
    });
  }

  /** Versions by local id ("<name>:<locale>:<version>"), null for any not published. */
  loadVersions(principal: ApiKeyPrincipal, localIds: readonly string[]): Promise<Array<MessageTemplateVersion | null>> {
    return Promise.all(
      localIds.map(async (localId) => {
        const key = parseTemplateLocalId(localId);
        if (!key || key.version === undefined) return null;
        const stored = await this.templates.version(principal.workspaceId, key.name, key.locale, key.version);
        return stored ? toVersion(stored) : null;
      }),
    );
  }

  /**
   * A syntax error (with its position), a bad name, locale or channel is BAD_USER_INPUT naming the
   * input field; the same body twice adds no version and answers the latest one.
   */
  async publish(principal: ApiKeyPrincipal, input: PublishTemplateInput): Promise<{ template: MessageTemplate; version: MessageTemplateVersion }> {
    const { name, locale } = this.checkDraft(input);
    const { template } = await this.templates.publish(principal.workspaceId, {
      name,
      locale,
      channel: input.channel,
      body: input.body,
      createdBy: `api-key:${principal.keyId}`,
    });
    return { template: toTemplate(template), version: toVersion(template) };
  }

  /** Renders as a send would (latest version, locale fallback, strict variables); a render error is BAD_USER_INPUT. */
  async preview(principal: ApiKeyPrincipal, name: string, locale: string | null, payload: Record<string, unknown>): Promise<TemplatePreview> {
    const normalised = locale == null ? null : this.locale(locale);
    const rendered = await renderStoredTemplate(this.templates, { workspaceId: principal.workspaceId, name: this.name(name), locale: normalised, payload });
    if (rendered.ok) return { text: rendered.text, locale: rendered.locale, version: rendered.version, channel: rendered.channel as ChannelName };
    if (rendered.message.startsWith('no template')) throw new GatewayException(GatewayErrorCode.NotFound, rendered.message, 'name');
    throw GatewayException.badInput('payload', rendered.message);
  }

  /**
   * Renders a body as publishTemplate would store it, without storing it: what an editor previews
   * before publishing. Bad input is refused as publishTemplate refuses it (BAD_USER_INPUT naming the
   * argument); a render error (a missing variable) is BAD_USER_INPUT naming payload.
   */
  async previewDraft(principal: ApiKeyPrincipal, draft: PublishTemplateInput, payload: Record<string, unknown>): Promise<TemplatePreview> {
    const { name, locale } = this.checkDraft(draft);
    const [latest] = await this.templates.latestOf(principal.workspaceId, [{ name, locale }]);
    const unchanged = latest !== null && latest !== undefined && latest.body === draft.body && latest.channel === draft.channel;
    const version = unchanged ? latest.version : (latest?.version ?? 0) + 1;
    const rendered = renderTemplate({ name, locale, version, body: draft.body }, payload);
    if (!rendered.ok) throw GatewayException.badInput('payload', rendered.message);
    return { text: rendered.text, locale, version, channel: draft.channel };
  }

  /** The checks publishTemplate makes before storing a body: name, locale, channel, body size and Liquid syntax. */
  private checkDraft(input: PublishTemplateInput): { name: string; locale: string } {
    const name = this.name(input.name);
    const locale = this.locale(input.locale ?? DEFAULT_LOCALE);
    if (!TEMPLATE_CHANNELS.includes(input.channel)) {
      throw GatewayException.badInput('channel', `templates are written for ${TEMPLATE_CHANNELS.map((c) => c.toUpperCase()).join(', ')}; an MMS send uses the SMS template`);
    }
    if (input.body.trim() === '') throw GatewayException.badInput('body', 'must not be empty');
    if (input.body.length > MAX_BODY_CHARS) throw GatewayException.badInput('body', `must be at most ${MAX_BODY_CHARS} characters`);
    const syntaxError = checkTemplateSyntax(input.body);
    if (syntaxError) throw GatewayException.badInput('body', `Liquid syntax error: ${syntaxError}`);
    return { name, locale };
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
