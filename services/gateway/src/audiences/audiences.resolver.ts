import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { AudienceModel, AudiencePreview, AudienceRefresh } from './audience.models';
import { AudiencesService } from './audiences.service';

@Resolver(() => AudienceModel)
export class AudiencesResolver {
  constructor(private readonly service: AudiencesService) {}

  @Mutation(() => AudienceModel, {
    description:
      'Creates or replaces an audience and computes its members at once. Definition: { all | any: [...] }, { not: … }, { trait, eq | neq | in | exists | gt | gte | lt | lte }, { event, atLeast?, atMost?, within? }, { consent: { channel, purpose?, status } }, { identity }. A bad one is BAD_USER_INPUT naming where.',
  })
  saveAudience(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name', { description: 'Lower-case letters, digits and dashes' }) name: string,
    @Args('definition', { type: () => JSONObjectScalar }) definition: Record<string, unknown>,
  ): Promise<AudienceModel> {
    return this.service.save(principal, name, definition);
  }

  @Mutation(() => Boolean, { description: 'Deletes an audience and its membership (false when there was none)' })
  deleteAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('name') name: string): Promise<boolean> {
    return this.service.remove(principal, name);
  }

  @Mutation(() => AudienceRefresh, { description: 'Re-evaluates everyone now; entries and exits become Audience Entered / Audience Exited events' })
  refreshAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('name') name: string): Promise<AudienceRefresh> {
    return this.service.refresh(principal, name);
  }

  @Query(() => AudiencePreview, { description: 'How many customers a definition matches now, and some of them (nothing is stored)' })
  previewAudience(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('definition', { type: () => JSONObjectScalar }) definition: Record<string, unknown>,
    @Args('sample', { type: () => Int, defaultValue: 10 }) sample: number,
  ): Promise<AudiencePreview> {
    return this.service.preview(principal, definition, sample);
  }

  @Query(() => [AudienceModel])
  audiences(@CurrentPrincipal() principal: ApiKeyPrincipal): Promise<AudienceModel[]> {
    return this.service.list(principal);
  }

  @Query(() => AudienceModel, { nullable: true })
  audience(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name') name: string,
    @Args('first', { type: () => Int, defaultValue: 100, description: 'Members per page (1–1000)' }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The last userId of the previous page' }) after: string | null,
  ): Promise<AudienceModel | null> {
    return this.service.get(principal, name, { first, ...(after ? { after } : {}) });
  }
}
