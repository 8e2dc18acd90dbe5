import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { GatewayException } from '../common/gateway-exception';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { JourneyInstance } from '../common/models/journey-instance.model';
import { journeyInstanceKeyOf, journeyInstanceLocalId, parseJourneyInstanceLocalId, JOURNEY_INSTANCE_TYPE } from '../node/journey-instance-id';
import { NodeRegistry } from '../node/node-registry';
import { Profile } from '../profiles/models/profile.model';
import { JourneyInstanceService } from './journey-instance.service';
import { JourneysService } from './journeys.service';
import { Journey } from './models/journey.model';
import { JourneyLiveState, TimelineEntry, TimelineEntryConnection } from './models/journey-instance-detail.model';
import { RequiresScope } from '../auth/requires-scope';

const journeysOfRequest = new WeakMap<object, Map<string, Promise<Journey | null>>>();
const instancesOfRequest = new WeakMap<object, Map<string, Promise<JourneyInstance | null>>>();

/** `journeyInstance`, the Node type `JourneyInstance` and its relations, each read only when selected. */
@Resolver(() => JourneyInstance)
export class JourneyInstanceResolver implements OnModuleInit {
  constructor(
    private readonly instances: JourneyInstanceService,
    private readonly journeys: JourneysService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: JourneyInstance,
      typeName: JOURNEY_INSTANCE_TYPE,
      localId: (instance) => journeyInstanceLocalId({ instanceId: instance.workflowId, runId: instance.runId }),
      load: async (principal, localIds) => {
        const keys = localIds.map(parseJourneyInstanceLocalId);
        const known = keys.filter((key) => key !== undefined);
        const found = await this.instances.runs(principal, known);
        return keys.map((key) => (key ? found[known.indexOf(key)] : null));
      },
    });
    this.nodes.register({
      type: TimelineEntry,
      localId: (entry) => entry.entryId,
      load: (principal, ids) => this.instances.entries(principal, ids),
    });
  }

  @RequiresScope('read')
  @Query(() => JourneyInstance, {
    nullable: true,
    description:
      'A journey instance by its global id (one run), or the latest run of a workflow by workflowId; give exactly one of them. Null when there is none in your workspace',
  })
  async journeyInstance(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, nullable: true, description: 'The global id of the instance (a JourneyInstance.id)' }) id: string | null,
    @Args('workflowId', { type: () => String, nullable: true, description: 'A workflow id, journey/<journeyId>/<customer>/<key>: its latest run' }) workflowId: string | null,
  ): Promise<JourneyInstance | null> {
    if ((id == null) === (workflowId == null)) throw GatewayException.badInput(id == null ? 'id' : 'workflowId', 'give exactly one of id and workflowId');
    if (id != null) {
      const [found] = await this.instances.runs(principal, [journeyInstanceKeyOf(id, 'id')]);
      return found ?? null;
    }
    return this.instances.latestRun(principal, workflowId!);
  }

  @ResolveField(() => TimelineEntryConnection, { description: 'The journal of this run, oldest entry first' })
  timeline(@Parent() instance: JourneyInstance, @Args() page: ConnectionArgs): Promise<ConnectionPage<TimelineEntry>> {
    return this.instances.timeline(instance, page);
  }

  @ResolveField(() => JourneyLiveState, {
    nullable: true,
    description: 'Where the running instance stands now, asked of its workflow; null once it has ended or when no worker answers',
  })
  live(@Parent() instance: JourneyInstance): Promise<JourneyLiveState | null> {
    return this.instances.live(instance);
  }

  @ResolveField(() => Profile, { nullable: true, description: 'The customer; null once the customer has been erased' })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() instance: JourneyInstance): Promise<Profile | null> {
    return this.nodes.loadOne<Profile>(principal, 'Profile', instance.customerId);
  }

  @ResolveField(() => Journey, { nullable: true, description: 'The journey this is an instance of; null when the catalogue no longer has it' })
  journey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() instance: JourneyInstance, @Context() context: object): Promise<Journey | null> {
    // A page of instances names a few journeys: each is read once per request.
    let byKey = journeysOfRequest.get(context);
    if (!byKey) journeysOfRequest.set(context, (byKey = new Map()));
    let journey = byKey.get(instance.journeyId);
    if (!journey) byKey.set(instance.journeyId, (journey = this.journeys.get(principal, instance.journeyId)));
    return journey;
  }
}

/** The journey instance (run) a journal entry belongs to. */
@Resolver(() => TimelineEntry)
export class TimelineEntryRelationsResolver {
  constructor(private readonly instances: JourneyInstanceService) {}

  @ResolveField(() => JourneyInstance, { nullable: true, description: 'The journey instance (run) whose journal holds the entry; null when it has been deleted since' })
  instance(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() entry: TimelineEntry,
    @Context() context: object,
    @Info() info: GraphQLResolveInfo,
  ): Promise<JourneyInstance | null> {
    const read = () => this.instances.runs(principal, [{ instanceId: entry.instanceId, runId: entry.runId }]).then(([found]) => found ?? null);
    // A subscription lives on: each update reads the instance as it is then.
    if (info.operation.operation === 'subscription') return read();
    // A page of a timeline names a few runs, each with many entries: each run is read once per request.
    let byKey = instancesOfRequest.get(context);
    if (!byKey) instancesOfRequest.set(context, (byKey = new Map()));
    const key = journeyInstanceLocalId({ instanceId: entry.instanceId, runId: entry.runId });
    let instance = byKey.get(key);
    if (!instance) byKey.set(key, (instance = read()));
    return instance;
  }
}
