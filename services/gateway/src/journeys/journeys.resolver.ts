import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { UpdateJourneySettingsInput } from './dto/update-journey-settings.input';
import { JourneysService } from './journeys.service';
import { Journey, JourneyInstanceCounts } from './models/journey.model';
import { NodeRegistry } from '../node/node-registry';

@Resolver(() => Journey)
export class JourneysResolver implements OnModuleInit {
  constructor(
    private readonly service: JourneysService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: Journey,
      localId: (journey) => journey.key,
      load: (principal, journeyIds) => Promise.all(journeyIds.map((journeyId) => this.service.get(principal, journeyId))),
    });
  }

  @Query(() => [Journey], { description: 'Every journey in the catalogue, with its state in this workspace' })
  journeys(@CurrentPrincipal() principal: ApiKeyPrincipal): Promise<Journey[]> {
    return this.service.list(principal);
  }

  @Query(() => Journey, { nullable: true, description: 'A journey of the catalogue by its key, with its state in this workspace; null when unknown' })
  journey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('key', { description: 'Key of the journey in the catalogue, e.g. abandoned-cart' }) key: string): Promise<Journey | null> {
    return this.service.get(principal, key);
  }

  @ResolveField(() => JourneyInstanceCounts, { description: "This workspace's instances, by status (counted when selected)" })
  instances(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() journey: Journey): Promise<JourneyInstanceCounts> {
    return this.service.instanceCounts(principal, journey.key);
  }

  @Mutation(() => Journey, { description: 'Takes new entries (again)' })
  publishJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { description: 'Journey id in the catalogue; NOT_FOUND otherwise' }) id: string): Promise<Journey> {
    return this.service.publish(principal, id);
  }

  @Mutation(() => Journey, { description: 'No new entries; sends of running instances are held until resumed' })
  pauseJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { description: 'Journey id in the catalogue; an archived journey cannot be paused' }) id: string): Promise<Journey> {
    return this.service.pause(principal, id);
  }

  @Mutation(() => Journey, { description: 'Takes new entries again and releases the held sends of a paused journey; an archived one must be published instead' })
  resumeJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { description: 'Journey id in the catalogue' }) id: string): Promise<Journey> {
    return this.service.resume(principal, id);
  }

  @Mutation(() => Journey, { description: 'No new entries; running instances exit with reason "archived"' })
  archiveJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { description: 'Journey id in the catalogue; NOT_FOUND otherwise' }) id: string): Promise<Journey> {
    return this.service.archive(principal, id);
  }

  @Mutation(() => Journey, { description: 'Validated against the journey settings schema; applies to instances that start afterwards' })
  updateJourneySettings(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The journey and the settings to change; BAD_USER_INPUT names any invalid or unknown setting' }) input: UpdateJourneySettingsInput): Promise<Journey> {
    return this.service.updateSettings(principal, input.journeyId, input.settings);
  }
}
