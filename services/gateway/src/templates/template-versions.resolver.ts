import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { MessageTemplate, MessageTemplateVersion } from './models/message-template.model';
import { templateLocalId, TemplatesService } from './templates.service';

/** The relation of a template version to its template (name and locale). */
@Resolver(() => MessageTemplateVersion)
export class TemplateVersionsResolver {
  constructor(private readonly service: TemplatesService) {}

  @ResolveField(() => MessageTemplate, { description: 'The template (name and locale) this is a version of, with its latest version' })
  async template(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() version: MessageTemplateVersion): Promise<MessageTemplate> {
    const [template] = await this.service.loadTemplates(principal, [templateLocalId(version)]);
    // Versions are never deleted, so the template of one always exists.
    return template!;
  }
}
