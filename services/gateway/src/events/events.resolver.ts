import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ApiKeyPrincipal } from '@continuum/data';
import { recoverUserErrors } from '../common/user-error';
import { TrackInput } from './dto/track.input';
import { EventsService } from './events.service';
import { ProfileEvent } from './models/profile-event.model';
import { TRACKED_EVENT, TrackPayload } from './models/tracking-payloads.model';
import { RequiresScope } from '../auth/requires-scope';

/** What `track` answered with: the stored event is read only when the caller selects `event`. */
type TrackResult = Omit<TrackPayload, 'event'> & { stored?: { principal: ApiKeyPrincipal; eventId: string } };

@Resolver(() => TrackPayload)
export class EventsResolver {
  constructor(private readonly events: EventsService) {}

  @RequiresScope('track')
  @Mutation(() => TrackPayload, { description: 'Records what a customer did (Segment track) and delivers it to journeys' })
  track(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer, the event name and its properties' }) input: TrackInput,
  ): Promise<TrackResult> {
    return recoverUserErrors<TrackResult>(
      async () => {
        const result = await this.events.track(principal, input);
        return { stored: { principal, eventId: result.eventId }, duplicate: result.duplicate, deliveredTo: result.deliveredTo, userErrors: [] };
      },
      (userErrors) => ({ duplicate: null, deliveredTo: null, userErrors }),
    );
  }

  // A tracking client that asks only whether the event was a repeat (or where it went) costs no read back.
  @ResolveField(() => ProfileEvent, { nullable: true, description: TRACKED_EVENT })
  async event(@Parent() payload: TrackResult): Promise<ProfileEvent | null> {
    if (!payload.stored) return null;
    const stored = await this.events.storedEvents(payload.stored.principal, [payload.stored]);
    return stored.get(payload.stored.eventId) ?? null;
  }
}
