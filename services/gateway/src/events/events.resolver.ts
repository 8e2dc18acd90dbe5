import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { recoverUserErrors } from '../common/user-error';
import { TrackInput } from './dto/track.input';
import { EventsService } from './events.service';
import { TrackPayload } from './models/tracking-payloads.model';
import { RequiresScope } from '../auth/requires-scope';

@Resolver()
export class EventsResolver {
  constructor(private readonly events: EventsService) {}

  @RequiresScope('track')
  @Mutation(() => TrackPayload, { description: 'Records what a customer did (Segment track) and delivers it to journeys' })
  track(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer, the event name and its properties' }) input: TrackInput,
  ): Promise<TrackPayload> {
    return recoverUserErrors<TrackPayload>(
      async () => {
        const result = await this.events.track(principal, input);
        const stored = await this.events.storedEvents(principal, [result]);
        return { event: stored.get(result.eventId) ?? null, duplicate: result.duplicate, deliveredTo: result.deliveredTo, userErrors: [] };
      },
      (userErrors) => ({ event: null, duplicate: null, deliveredTo: null, userErrors }),
    );
  }
}
