import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { TrackInput } from './dto/track.input';
import { EventsService } from './events.service';
import { TrackResult } from './models/track-result.model';

@Resolver()
export class EventsResolver {
  constructor(private readonly events: EventsService) {}

  @Mutation(() => TrackResult, { description: 'Records what a customer did (Segment track) and delivers it to journeys' })
  track(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer, the event name and its properties' }) input: TrackInput,
  ): Promise<TrackResult> {
    return this.events.track(principal, input);
  }
}
