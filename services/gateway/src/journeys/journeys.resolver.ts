import type { OnModuleInit } from '@nestjs/common';
import { Args, GraphQLISODateTime, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { UpdateJourneySettingsInput } from './dto/update-journey-settings.input';
import { ArchiveJourneyInput, PauseJourneyInput, PublishJourneyInput, ResumeJourneyInput } from './dto/journey-lifecycle.inputs';
import { ArchiveJourneyPayload, PauseJourneyPayload, PublishJourneyPayload, ResumeJourneyPayload, UpdateJourneySettingsPayload } from './models/journey-lifecycle.payloads';
import { payloadOf } from '../common/user-error';
import { localIdOf } from '../node/global-id';
import { JourneysService } from './journeys.service';
import { Journey, JourneyInstanceCounts, JourneyStepNode } from './models/journey.model';
import { JourneyGraphService } from './journey-graph.service';
import { NodeRegistry } from '../node/node-registry';
import { RequiresScope } from '../auth/requires-scope';

@Resolver(() => Journey)
export class JourneysResolver implements OnModuleInit {
  constructor(
    private readonly service: JourneysService,
    private readonly graphs: JourneyGraphService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: Journey,
      localId: (journey) => journey.key,
      load: (principal, journeyIds) => Promise.all(journeyIds.map((journeyId) => this.service.get(principal, journeyId))),
    });
  }

  @RequiresScope('read')
  @Query(() => [Journey], { description: 'Every journey in the catalogue, with its state in this workspace' })
  journeys(@CurrentPrincipal() principal: ApiKeyPrincipal): Promise<Journey[]> {
    return this.service.list(principal);
  }

  @RequiresScope('read')
  @Query(() => Journey, { nullable: true, description: 'A journey of the catalogue by its key, with its state in this workspace; null when unknown' })
  journey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('key', { description: 'Key of the journey in the catalogue, e.g. abandoned-cart' }) key: string): Promise<Journey | null> {
    return this.service.get(principal, key);
  }

  @ResolveField(() => [JourneyStepNode], {
    description:
      'The journey graph, one node per step in the order the journey declares them, each with its labelled moves to the next steps, the instances at it now and those that reached it; one query for every count, run only when a count is selected',
  })
  steps(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() journey: Journey,
    @Args('from', { type: () => GraphQLISODateTime, nullable: true, description: 'Reached counts: instances entered at or after (default: the beginning)' }) from: Date | null,
    @Args('to', { type: () => GraphQLISODateTime, nullable: true, description: 'Reached counts: instances entered before (default: no end)' }) to: Date | null,
    @Args('version', { type: () => Int, nullable: true, description: 'Only instances that entered with this catalogue version (default: every version)' }) version: number | null,
  ): JourneyStepNode[] {
    return this.graphs.steps(principal, journey, { from: from ?? null, to: to ?? null, version: version ?? null });
  }

  @ResolveField(() => JourneyInstanceCounts, { description: "This workspace's instances, by status (counted when selected)" })
  instances(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() journey: Journey): Promise<JourneyInstanceCounts> {
    return this.service.instanceCounts(principal, journey.key);
  }

  @RequiresScope('operate')
  @Mutation(() => PublishJourneyPayload, { description: 'Takes new entries (again), from paused or archived. User errors: INVALID for a bad id, NOT_FOUND for a journey not in the catalogue' })
  publishJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The journey to publish' }) input: PublishJourneyInput): Promise<PublishJourneyPayload> {
    return payloadOf('journey', () => this.service.publish(principal, journeyKeyOf(input.id)));
  }

  @RequiresScope('operate')
  @Mutation(() => PauseJourneyPayload, {
    description: 'No new entries; sends of running instances are held until resumed. User errors: INVALID, NOT_FOUND, FAILED_PRECONDITION for an archived journey',
  })
  pauseJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The journey to pause' }) input: PauseJourneyInput): Promise<PauseJourneyPayload> {
    return payloadOf('journey', () => this.service.pause(principal, journeyKeyOf(input.id)));
  }

  @RequiresScope('operate')
  @Mutation(() => ResumeJourneyPayload, {
    description:
      'Takes new entries again and releases the held sends of a paused journey. User errors: INVALID, NOT_FOUND, FAILED_PRECONDITION for an archived journey (publish it instead)',
  })
  resumeJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The journey to resume' }) input: ResumeJourneyInput): Promise<ResumeJourneyPayload> {
    return payloadOf('journey', () => this.service.resume(principal, journeyKeyOf(input.id)));
  }

  @RequiresScope('operate')
  @Mutation(() => ArchiveJourneyPayload, { description: 'No new entries; running instances exit with reason "archived". User errors: INVALID, NOT_FOUND' })
  archiveJourney(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The journey to archive' }) input: ArchiveJourneyInput): Promise<ArchiveJourneyPayload> {
    return payloadOf('journey', () => this.service.archive(principal, journeyKeyOf(input.id)));
  }

  @RequiresScope('operate')
  @Mutation(() => UpdateJourneySettingsPayload, {
    description:
      "Changes this workspace's values of a journey's settings, validated against the journey's settings schema; applies to instances that start afterwards. User errors: INVALID naming the setting (e.g. [\"input\", \"settings\", \"idleTimeout\"]), NOT_FOUND",
  })
  updateJourneySettings(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The journey and the settings to change' }) input: UpdateJourneySettingsInput,
  ): Promise<UpdateJourneySettingsPayload> {
    return payloadOf('journey', () => this.service.updateSettings(principal, journeyKeyOf(input.id), input.settings));
  }
}

/** The catalogue key inside `id`, the global id of a Journey; else INVALID on input.id. */
function journeyKeyOf(id: string): string {
  return localIdOf(id, 'Journey', 'id');
}
