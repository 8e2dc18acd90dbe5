import type { OnModuleInit } from '@nestjs/common';
import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { payloadOf } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import { Profile } from '../profiles/models/profile.model';
import {
  Audience,
  AudienceConnection,
  AudienceMember,
  AudienceMemberConnection,
  AudiencePreview,
  DeleteAudienceInput,
  DeleteAudiencePayload,
  RefreshAudienceInput,
  RefreshAudiencePayload,
  SaveAudienceInput,
  SaveAudiencePayload,
} from './audience.models';
import { AudiencesService } from './audiences.service';
import { AudienceConditionInput } from './dto/audience-condition.input';
import { RequiresScope } from '../auth/requires-scope';

/**
 * Audiences. An input names an audience by its `name` (its natural key, unique in the workspace,
 * what saveAudience creates or replaces by); its global `id` is for node(id:) and client caches.
 */
@Resolver(() => Audience)
export class AudiencesResolver implements OnModuleInit {
  constructor(
    private readonly service: AudiencesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: Audience,
      localId: (audience) => audience.audienceId,
      load: (principal, ids) => this.service.getByIds(principal, ids),
    });
    this.nodes.register({
      type: AudienceMember,
      // An audience row id is a UUID (no colon); a userId may hold colons.
      localId: (member) => `${member.audienceId}:${member.userId}`,
      load: (principal, ids) =>
        this.service.membersByKeys(
          principal,
          ids.map((id) => {
            const colon = id.indexOf(':');
            return colon < 1 ? { audienceId: '', userId: '' } : { audienceId: id.slice(0, colon), userId: id.slice(colon + 1) };
          }),
        ),
    });
  }

  @RequiresScope('operate')
  @Mutation(() => SaveAudiencePayload, {
    description:
      'Creates or replaces an audience (by name) and computes its members at once. A bad definition or name is an INVALID user error whose field is the path to what is wrong (e.g. ["input", "definition", "all", "1", "event", "within"]).',
  })
  saveAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The audience to create or replace: its name and definition' }) input: SaveAudienceInput): Promise<SaveAudiencePayload> {
    return payloadOf('audience', () => this.service.save(principal, input.name, input.definition));
  }

  @RequiresScope('operate')
  @Mutation(() => DeleteAudiencePayload, { description: 'Deletes an audience and its membership. User errors: NOT_FOUND when there is no such audience, FAILED_PRECONDITION when a broadcast names it.' })
  deleteAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The audience to delete' }) input: DeleteAudienceInput): Promise<DeleteAudiencePayload> {
    return payloadOf('deletedAudienceName', () => this.service.remove(principal, input.name));
  }

  @RequiresScope('operate')
  @Mutation(() => RefreshAudiencePayload, {
    description: 'Re-evaluates everyone now; entries and exits become Audience Entered / Audience Exited events. User error: NOT_FOUND when there is no such audience.',
  })
  refreshAudience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The audience whose membership is computed again now' }) input: RefreshAudienceInput): Promise<RefreshAudiencePayload> {
    return payloadOf('refresh', () => this.service.refresh(principal, input.name));
  }

  @RequiresScope('read')
  @Query(() => AudiencePreview, { description: 'How many customers a definition matches now, and some of them (nothing is stored)' })
  previewAudience(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('definition', { type: () => AudienceConditionInput, description: 'An audience definition, as in saveAudience; a bad one is a BAD_USER_INPUT error naming the path to what is wrong' })
    definition: AudienceConditionInput,
    @Args('sample', { type: () => Int, defaultValue: 10, description: 'How many matching userIds to return, the first by userId (0–100)' }) sample: number,
  ): Promise<AudiencePreview> {
    return this.service.preview(principal, definition, sample);
  }

  @RequiresScope('read')
  @Query(() => AudienceConnection, { description: "The workspace's audiences, by name" })
  audiences(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args() page: ConnectionArgs): Promise<ConnectionPage<Audience>> {
    return this.service.list(principal, page);
  }

  @RequiresScope('read')
  @Query(() => Audience, { nullable: true, description: 'The audience of this name; null when there is none in the workspace' })
  audience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('name', { description: 'Name of the audience' }) name: string): Promise<Audience | null> {
    return this.service.get(principal, name);
  }

  @ResolveField(() => AudienceMemberConnection, { description: 'Its members now, by userId' })
  members(@Parent() audience: Audience, @Args() page: ConnectionArgs): Promise<ConnectionPage<AudienceMember>> {
    return this.service.members(audience, page);
  }

  @ResolveField(() => Int, { description: 'How many members it has now (as of the last evaluation)' })
  size(@Parent() audience: Audience): Promise<number> {
    return this.service.size(audience);
  }
}

/** A member's customer, through the Profile node (an erased customer is null). */
@Resolver(() => AudienceMember)
export class AudienceMemberResolver {
  constructor(private readonly nodes: NodeRegistry) {}

  @ResolveField(() => Profile, { nullable: true, description: "The member's profile; null when the customer has been erased since" })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() member: AudienceMember): Promise<Profile | null> {
    return this.nodes.loadOne<Profile>(principal, 'Profile', member.userId);
  }
}
