import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { payloadOf } from '../common/user-error';
import {
  AudienceModel,
  AudiencePreview,
  DeleteAudienceInput,
  DeleteAudiencePayload,
  RefreshAudienceInput,
  RefreshAudiencePayload,
  SaveAudienceInput,
  SaveAudiencePayload,
} from './audience.models';
import { AudiencesService } from './audiences.service';

@Resolver(() => AudienceModel)
export class AudiencesResolver {
  constructor(private readonly service: AudiencesService) {}

  @Mutation(() => SaveAudiencePayload, {
    description:
      'Creates or replaces an audience and computes its members at once. A bad definition or name is an INVALID user error whose field is the path to what is wrong (e.g. ["input", "definition", "all", "1", "within"]).',
  })
  saveAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The audience to create or replace: its name and definition' }) input: SaveAudienceInput): Promise<SaveAudiencePayload> {
    return payloadOf('audience', () => this.service.save(principal, input.name, input.definition));
  }

  @Mutation(() => DeleteAudiencePayload, { description: 'Deletes an audience and its membership. User error: NOT_FOUND when there is no such audience.' })
  deleteAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The audience to delete' }) input: DeleteAudienceInput): Promise<DeleteAudiencePayload> {
    return payloadOf('deletedAudienceName', () => this.service.remove(principal, input.name));
  }

  @Mutation(() => RefreshAudiencePayload, {
    description: 'Re-evaluates everyone now; entries and exits become Audience Entered / Audience Exited events. User error: NOT_FOUND when there is no such audience.',
  })
  refreshAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The audience whose membership is computed again now' }) input: RefreshAudienceInput): Promise<RefreshAudiencePayload> {
    return payloadOf('refresh', () => this.service.refresh(principal, input.name));
  }

  @Query(() => AudiencePreview, { description: 'How many customers a definition matches now, and some of them (nothing is stored)' })
  previewAudience(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('definition', { type: () => JSONObjectScalar, description: 'An audience definition, as in saveAudience; a bad one is an INVALID error naming the path to what is wrong' })
    definition: Record<string, unknown>,
    @Args('sample', { type: () => Int, defaultValue: 10, description: 'How many matching userIds to return, the first by userId (0–100)' }) sample: number,
  ): Promise<AudiencePreview> {
    return this.service.preview(principal, definition, sample);
  }

  @Query(() => [AudienceModel], { description: "The workspace's audiences, by name, each with its first 20 members" })
  audiences(@CurrentPrincipal() principal: ApiKeyPrincipal): Promise<AudienceModel[]> {
    return this.service.list(principal);
  }

  @Query(() => AudienceModel, { nullable: true, description: 'An audience with a page of its members; null when there is no audience of that name' })
  audience(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('name', { description: 'Name of the audience' }) name: string,
    @Args('first', { type: () => Int, defaultValue: 100, description: 'Members per page (1–1000)' }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The last userId of the previous page' }) after: string | null,
  ): Promise<AudienceModel | null> {
    return this.service.get(principal, name, { first, ...(after ? { after } : {}) });
  }
}
