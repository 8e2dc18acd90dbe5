import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { AliasInput, BatchInput, GroupInput, PageInput, ScreenInput } from './dto/tracking.inputs';
import { BatchResult, TrackingResult } from './models/tracking-result.model';
import { TrackingService } from './tracking.service';

/** The tracking API's calls as GraphQL mutations (identify and track are in profiles/ and events/). */
@Resolver()
export class TrackingResolver {
  constructor(private readonly tracking: TrackingService) {}

  @Mutation(() => TrackingResult, { description: 'Records a page view (Segment page)' })
  page(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The page view' }) input: PageInput): Promise<TrackingResult> {
    return this.single(principal, 'page', input);
  }

  @Mutation(() => TrackingResult, { description: 'Records a mobile screen view (Segment screen)' })
  screen(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The screen view' }) input: ScreenInput): Promise<TrackingResult> {
    return this.single(principal, 'screen', input);
  }

  @Mutation(() => TrackingResult, { description: 'Records that the customer belongs to a group (Segment group)' })
  group(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The customer and the group' }) input: GroupInput): Promise<TrackingResult> {
    return this.single(principal, 'group', input);
  }

  @Mutation(() => TrackingResult, { description: 'Records that two identities are one customer (Segment alias)' })
  alias(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The new identity and the previous one' }) input: AliasInput): Promise<TrackingResult> {
    return this.single(principal, 'alias', input);
  }

  @Mutation(() => BatchResult, {
    description:
      'Accepts several Segment messages at once, in order; routing to journeys follows. Invalid messages are refused one by one (see `refused`); when all are, nothing is stored and the error is BAD_USER_INPUT',
  })
  async batch(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The messages and what they share' }) input: BatchInput): Promise<BatchResult> {
    const { accepted, refused } = await this.tracking.batch(principal, input);
    const events = accepted.map(({ messageId, duplicate }) => ({ messageId, duplicate }));
    const duplicates = events.filter((event) => event.duplicate).length;
    return { stored: events.length - duplicates, duplicates, events, refused };
  }

  private async single(principal: ApiKeyPrincipal, type: 'page' | 'screen' | 'group' | 'alias', input: object): Promise<TrackingResult> {
    const { messageId, duplicate } = await this.tracking.single(principal, type, input);
    return { messageId, duplicate };
  }
}
