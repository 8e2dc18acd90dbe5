import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { withGatewayErrors } from '../common/field-errors';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { recoverUserErrors } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import { PublishTemplateInput } from './dto/publish-template.input';
import { ChannelName } from '../common/models/channel.model';
import {
  MessageTemplate,
  MessageTemplateConnection,
  MessageTemplateVersion,
  MessageTemplateVersionConnection,
  PublishTemplatePayload,
  TemplatePreview,
} from './models/message-template.model';
import { templateLocalId, TemplatesService, versionLocalId } from './templates.service';
import { RequiresScope } from '../auth/requires-scope';

@Resolver(() => MessageTemplate)
export class TemplatesResolver implements OnModuleInit {
  constructor(
    private readonly service: TemplatesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: MessageTemplate, localId: templateLocalId, load: (principal, localIds) => this.service.loadTemplates(principal, localIds) });
    this.nodes.register({ type: MessageTemplateVersion, localId: versionLocalId, load: (principal, localIds) => this.service.loadVersions(principal, localIds) });
  }

  @RequiresScope('read')
  @Query(() => MessageTemplateConnection, { description: 'Message templates of the workspace, one per name and locale (with its latest version), ordered by name then locale' })
  templates(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name', { type: () => String, nullable: true, description: 'Only the template of this name (in each of its locales); omitted: every template' }) name: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<MessageTemplate>> {
    return this.service.list(principal, name, page);
  }

  @ResolveField(() => MessageTemplateVersionConnection, { description: 'Every version of the template in this locale, newest first' })
  versions(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() template: MessageTemplate, @Args() page: ConnectionArgs): Promise<ConnectionPage<MessageTemplateVersion>> {
    return withGatewayErrors(() => this.service.versions(principal, template, page));
  }

  @RequiresScope('operate')
  @Mutation(() => PublishTemplatePayload, {
    description:
      'Publishes a Liquid body as the next version of (name, locale); the same body and channel again adds no version (version is the latest one). User errors: INVALID naming the input field, e.g. a Liquid syntax error on ["input", "body"] with its line and column.',
  })
  publishTemplate(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The template, its locale and channel, and the new body' }) input: PublishTemplateInput,
  ): Promise<PublishTemplatePayload> {
    return recoverUserErrors<PublishTemplatePayload>(
      async () => ({ ...(await this.service.publish(principal, input)), userErrors: [] }),
      (userErrors) => ({ template: null, version: null, userErrors }),
    );
  }

  @RequiresScope('read')
  @Query(() => TemplatePreview, {
    description:
      'Renders the latest version for a locale (with fallback pt-BR → pt → default) against a sample payload, as a send would. A missing variable is BAD_USER_INPUT naming it; no such template is NOT_FOUND.',
  })
  previewTemplate(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name', { description: 'The template to render, e.g. "cart-reminder"' }) name: string,
    @Args('locale', { type: () => String, nullable: true, description: 'A BCP 47 locale such as "pt-BR", falling back to pt then default; omitted: the "default" version' }) locale: string | null,
    @Args('payload', { type: () => JSONObjectScalar, description: 'A contextual payload: { profile: { traits }, event, journey, lookups }' })
    payload: Record<string, unknown>,
  ): Promise<TemplatePreview> {
    return this.service.preview(principal, name, locale, payload);
  }

  @RequiresScope('read')
  @Query(() => TemplatePreview, {
    description:
      'Renders a draft body against a sample payload as a send would, without storing it: the preview an editor shows before publishTemplate. version is the one publishing it would make (the latest, when the body and channel are unchanged). Bad input is BAD_USER_INPUT naming the argument, as publishTemplate refuses it (a Liquid syntax error on body with its line and column); a missing variable is BAD_USER_INPUT naming payload.',
  })
  previewTemplateDraft(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name', { description: 'The template the draft is for, e.g. "cart-reminder" (it need not exist yet)' }) name: string,
    @Args('locale', { type: () => String, nullable: true, description: '"default" (when omitted) or a BCP 47 locale such as "pt-BR": the locale the draft is written in (no fallback)' })
    locale: string | null,
    @Args('channel', { type: () => ChannelName, description: 'The channel the draft is written for: SMS, WHATSAPP, RCS, EMAIL or IN_APP' }) channel: ChannelName,
    @Args('body', { description: 'The Liquid source to render, at most 20,000 characters' }) body: string,
    @Args('payload', { type: () => JSONObjectScalar, description: 'A contextual payload: { profile: { traits }, event, journey, lookups }' })
    payload: Record<string, unknown>,
  ): Promise<TemplatePreview> {
    return this.service.previewDraft(principal, { name, locale, channel, body }, payload);
  }
}
