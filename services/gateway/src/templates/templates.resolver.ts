import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { PublishTemplateInput } from './dto/publish-template.input';
import { MessageTemplate, TemplatePreview } from './models/message-template.model';
import { TemplatesService } from './templates.service';

@Resolver(() => MessageTemplate)
export class TemplatesResolver {
  constructor(private readonly service: TemplatesService) {}

  @Query(() => [MessageTemplate], { description: 'Message templates of the workspace: per name and locale, the latest version and the history' })
  templates(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name', { type: () => String, nullable: true, description: 'Only the template of this name (in each of its locales); omitted: every template' }) name: string | null,
  ): Promise<MessageTemplate[]> {
    return this.service.list(principal, name);
  }

  @Mutation(() => MessageTemplate, {
    description: 'Publishes a Liquid body as the next version of (name, locale); a syntax error is BAD_USER_INPUT with the position. The same body again adds no version.',
  })
  publishTemplate(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The template, its locale and channel, and the new body' }) input: PublishTemplateInput  ): Promise<MessageTemplate> {
    return this.service.publish(principal, input);
  }

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
}
