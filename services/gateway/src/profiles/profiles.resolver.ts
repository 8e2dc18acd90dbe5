import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { IdentifyInput } from './dto/identify.input';
import { withGatewayErrors } from '../common/field-errors';
import { ProfileSearchInput } from './dto/profile-search.input';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { ProfileConnection, ProfileEventConnection, type ProfileEvent } from './models/connections.model';
import { DeleteProfileResult } from './models/delete-profile-result.model';
import { IdentifyResult } from './models/identify-result.model';
import { Profile } from './models/profile.model';
import { ProfilesService } from './profiles.service';
import { NodeRegistry } from '../node/node-registry';

@Resolver(() => Profile)
export class ProfilesResolver implements OnModuleInit {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: Profile,
      localId: (profile) => profile.userId,
      load: (principal, userIds) => Promise.all(userIds.map((userId) => this.profiles.get(principal, userId))),
    });
  }

  @Query(() => Profile, { nullable: true, description: "A customer's traits, journey instances and messages" })
  profile(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('userId', { description: 'The customer; null when none has this userId' }) userId: string): Promise<Profile | null> {
    return this.profiles.get(principal, userId);
  }

  @Query(() => ProfileConnection, { description: "Profiles of the caller's workspace matching every criterion given, ordered by userId" })
  searchProfiles(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('query', { description: 'At least one criterion, or BAD_USER_INPUT' }) query: ProfileSearchInput,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<Profile>> {
    return this.profiles.search(principal, query, page);
  }

  @ResolveField(() => ProfileEventConnection, { description: "The customer's events, newest first" })
  events(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() profile: Profile,
    @Args() page: ConnectionArgs,
    @Args('type', { type: () => String, nullable: true, description: 'track, identify, page, screen, group or alias' }) type: string | null,
    @Args('name', { type: () => String, nullable: true, description: 'Event name of track calls, e.g. "Cart Updated"' }) name: string | null,
  ): Promise<ConnectionPage<ProfileEvent>> {
    return withGatewayErrors(() => this.profiles.listEvents(principal, profile.userId, { ...page, type, name }));
  }

  @Mutation(() => IdentifyResult, { description: 'Records who a customer is (Segment identify)' })
  identify(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The customer and their traits' }) input: IdentifyInput): Promise<IdentifyResult> {
    return this.profiles.identify(principal, input);
  }

  @Mutation(() => DeleteProfileResult, {
    description: 'Erases a customer (GDPR/LGPD): ends their running journeys, deletes their events, messages and profile, anonymises their journal',
  })
  deleteProfile(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('userId', { description: 'The customer to erase; NOT_FOUND when unknown' }) userId: string): Promise<DeleteProfileResult> {
    return this.profiles.erase(principal, userId);
  }
}
