import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { withGatewayErrors } from '../common/field-errors';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { JourneyInstance } from '../common/models/journey-instance.model';
import { TrackingCall } from '../common/models/tracking-call.model';
import { recoverUserErrors } from '../common/user-error';
import { ProfileEvent } from '../events/models/profile-event.model';
import { JOURNEY_INSTANCE_TYPE, journeyInstanceLocalId } from '../node/journey-instance-id';
import { NodeRegistry } from '../node/node-registry';
import { DeleteProfileInput } from './dto/delete-profile.input';
import { IdentifyInput } from './dto/identify.input';
import { ProfileOrder, ProfileSearchInput } from './dto/profile-search.input';
import { MessageConnection, ProfileConnection, ProfileEventConnection, ProfileJourneyInstanceConnection } from './models/connections.model';
import { DeleteProfilePayload, IdentifyPayload } from './models/payloads.model';
import { Message, Profile } from './models/profile.model';
import { ProfilesService } from './profiles.service';
import { RequiresScope } from '../auth/requires-scope';

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
      load: (principal, userIds) => this.profiles.getMany(principal, userIds),
    });
    this.nodes.register({ type: ProfileEvent, localId: (event) => event.eventRowId, load: (principal, ids) => this.profiles.eventsById(principal, ids) });
    this.nodes.register({ type: Message, localId: (message) => message.messageRowId, load: (principal, ids) => this.profiles.messagesById(principal, ids) });
  }

  @RequiresScope('read')
  @Query(() => Profile, { nullable: true, description: 'A customer by the userId people type (`anon:<anonymousId>` for an anonymous one); null when none has it' })
  profile(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('userId', { description: 'The customer' }) userId: string): Promise<Profile | null> {
    return this.profiles.get(principal, userId);
  }

  @RequiresScope('read')
  @Query(() => ProfileConnection, { description: "Profiles of the caller's workspace matching every criterion given (every profile without any), in the order asked for (by userId unless told)" })
  searchProfiles(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('query', { type: () => ProfileSearchInput, nullable: true, description: 'The criteria, every one given must match; default none: every profile of the workspace' })
    query: ProfileSearchInput | null,
    @Args() page: ConnectionArgs,
    @Args('orderBy', {
      type: () => ProfileOrder,
      nullable: true,
      description: 'The order; default by userId ascending. A cursor is valid only with the order it came from (else BAD_USER_INPUT naming after or before)',
    })
    orderBy: ProfileOrder | null,
  ): Promise<ConnectionPage<Profile>> {
    return this.profiles.search(principal, query, orderBy, page);
  }

  @ResolveField(() => ProfileEventConnection, { description: "The customer's events, newest first" })
  events(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() profile: Profile,
    @Args() page: ConnectionArgs,
    @Args('type', { type: () => TrackingCall, nullable: true, description: 'Only calls of this kind; default every kind' }) type: TrackingCall | null,
    @Args('name', { type: () => String, nullable: true, description: 'Only events with this name (the event of a track call, e.g. "Cart Updated", or a page or screen name); default every name' }) name: string | null,
  ): Promise<ConnectionPage<ProfileEvent>> {
    return withGatewayErrors(() => this.profiles.listEvents(principal, profile.userId, { ...page, type, name }));
  }

  @ResolveField(() => MessageConnection, { description: 'Messages sent (or attempted) to the customer, newest first' })
  messages(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile, @Args() page: ConnectionArgs): Promise<ConnectionPage<Message>> {
    return withGatewayErrors(() => this.profiles.listMessages(principal, profile.userId, page));
  }

  @ResolveField(() => ProfileJourneyInstanceConnection, { description: "The customer's journey instances, running and ended, newest entry first" })
  journeyInstances(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile, @Args() page: ConnectionArgs): Promise<ConnectionPage<JourneyInstance>> {
    return withGatewayErrors(() => this.profiles.listInstances(principal, profile.userId, page));
  }

  @RequiresScope('track')
  @Mutation(() => IdentifyPayload, { description: 'Records who a customer is (Segment identify)' })
  identify(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The customer and their traits' }) input: IdentifyInput): Promise<IdentifyPayload> {
    return recoverUserErrors<IdentifyPayload>(
      () => this.profiles.identify(principal, input),
      (userErrors) => ({ profile: null, event: null, duplicate: null, userErrors }),
    );
  }

  @RequiresScope('operate')
  @Mutation(() => DeleteProfilePayload, {
    description: 'Erases a customer (GDPR/LGPD): ends their running journeys, deletes their events, messages and profile, anonymises their journal',
  })
  deleteProfile(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The customer to erase' }) input: DeleteProfileInput): Promise<DeleteProfilePayload> {
    return recoverUserErrors<DeleteProfilePayload>(
      async () => ({ ...(await this.profiles.erase(principal, input.userId)), userErrors: [] }),
      (userErrors) => ({ deletedProfileId: null, deletedUserId: null, instancesEnded: null, dataKeyDestroyed: null, eventsDeleted: null, messagesDeleted: null, userErrors }),
    );
  }
}

/** The relations of a message: the instance that sent it and the customer it went to. */
@Resolver(() => Message)
export class MessageRelationsResolver {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly nodes: NodeRegistry,
  ) {}

  @ResolveField(() => JourneyInstance, { nullable: true, description: 'The journey instance that sent it (its run); null when no journey did (a broadcast, a transactional message) or it is gone' })
  instance(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() message: Message): Promise<JourneyInstance | null> {
    // The run that sent it, batched with the page's other messages; without a run, the instance's latest.
    if (!message.runId) return this.profiles.instanceOf(principal, message);
    return this.nodes.loadOne<JourneyInstance>(principal, JOURNEY_INSTANCE_TYPE, journeyInstanceLocalId({ instanceId: message.instanceId, runId: message.runId }));
  }

  @ResolveField(() => Profile, { nullable: true, description: 'The customer it was sent to; null when the profile is gone' })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() message: Message): Promise<Profile | null> {
    return this.nodes.loadOne<Profile>(principal, 'Profile', message.customerId);
  }
}

/** The customer of an event. */
@Resolver(() => ProfileEvent)
export class ProfileEventRelationsResolver {
  constructor(private readonly nodes: NodeRegistry) {}

  @ResolveField(() => Profile, { nullable: true, description: 'The customer who sent it; null when the profile is gone' })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() event: ProfileEvent): Promise<Profile | null> {
    return this.nodes.loadOne<Profile>(principal, 'Profile', event.userId);
  }
}
