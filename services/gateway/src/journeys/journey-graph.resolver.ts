import { Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { JourneyStepNode } from './models/journey.model';

/** The counts of a step of `Journey.graph`, from one query shared by the graph's nodes. */
@Resolver(() => JourneyStepNode)
export class JourneyGraphResolver {
  @ResolveField(() => Int, { description: 'Active instances at this step now (whenever they entered)' })
  async active(@Parent() node: JourneyStepNode): Promise<number> {
    return (await node.counts()).get(node.step)?.active ?? 0;
  }

  @ResolveField(() => Int, { description: "Instances that entered in the graph's window and reached this step (journaled at it at least once)" })
  async reached(@Parent() node: JourneyStepNode): Promise<number> {
    return (await node.counts()).get(node.step)?.reached ?? 0;
  }
}
