import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { UserErrorCode, recoverUserErrors, userErrorOf, type UserError } from '../common/user-error';
import { EventsService } from '../events/events.service';
import { AliasPayload, BatchPayload, GroupPayload, PagePayload, ScreenPayload, type RefusedCall } from '../events/models/tracking-payloads.model';
import { AliasInput, BatchInput, GroupInput, PageInput, ScreenInput } from './dto/tracking.inputs';
import { BatchRefused, TrackingService, type RefusedMessage } from './tracking.service';
import { RequiresScope } from '../auth/requires-scope';

type CallPayload = PagePayload | ScreenPayload | GroupPayload | AliasPayload;

/** The tracking API's calls as GraphQL mutations (identify and track are in profiles/ and events/). */
@Resolver()
export class TrackingResolver {
  constructor(
    private readonly tracking: TrackingService,
    private readonly events: EventsService,
  ) {}

  @RequiresScope('track')
  @Mutation(() => PagePayload, { description: 'Records a page view (Segment page)' })
  page(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The page view' }) input: PageInput): Promise<PagePayload> {
    return this.single(principal, 'page', input);
  }

  @RequiresScope('track')
  @Mutation(() => ScreenPayload, { description: 'Records a mobile screen view (Segment screen)' })
  screen(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The screen view' }) input: ScreenInput): Promise<ScreenPayload> {
    return this.single(principal, 'screen', input);
  }

  @RequiresScope('track')
  @Mutation(() => GroupPayload, { description: 'Records that the customer belongs to a group (Segment group)' })
  group(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The customer and the group' }) input: GroupInput): Promise<GroupPayload> {
    return this.single(principal, 'group', input);
  }

  @RequiresScope('track')
  @Mutation(() => AliasPayload, { description: 'Records that two identities are one customer (Segment alias)' })
  alias(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The new identity and the previous one' }) input: AliasInput): Promise<AliasPayload> {
    return this.single(principal, 'alias', input);
  }

  @RequiresScope('track')
  @Mutation(() => BatchPayload, {
    description:
      'Accepts several Segment calls at once, in order; routing to journeys follows. Invalid calls are refused one by one (see `refused`); when all are, nothing is stored and each refusal is a user error',
  })
  batch(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The calls and what they share' }) input: BatchInput): Promise<BatchPayload> {
    const refusedAll = (userErrors: UserError[]): BatchPayload => ({ accepted: null, refused: null, stored: null, duplicates: null, userErrors });
    return recoverUserErrors<BatchPayload>(
      async () => {
        try {
          const { accepted, refused } = await this.tracking.batch(principal, input);
          const stored = await this.events.storedEvents(principal, accepted);
          const calls = accepted.flatMap(({ eventId, duplicate }) => {
            const event = stored.get(eventId);
            return event ? [{ event, duplicate }] : [];
          });
          const duplicates = accepted.filter((call) => call.duplicate).length;
          return { accepted: calls, refused: refused.map(refusedCall), stored: accepted.length - duplicates, duplicates, userErrors: [] };
        } catch (error) {
          if (error instanceof BatchRefused) return refusedAll(error.refused.map((call) => userErrorOfCall(call)));
          throw error;
        }
      },
      refusedAll,
    );
  }

  private single(principal: ApiKeyPrincipal, type: 'page' | 'screen' | 'group' | 'alias', input: object): Promise<CallPayload> {
    return recoverUserErrors<CallPayload>(
      async () => {
        const result = await this.tracking.single(principal, type, input);
        const stored = await this.events.storedEvents(principal, [result]);
        return { event: stored.get(result.eventId) ?? null, duplicate: result.duplicate, userErrors: [] };
      },
      (userErrors) => ({ event: null, duplicate: null, userErrors }),
    );
  }
}

/** A refused call as a user error: its code, and its field (`batch[3].userId`) as a path from `input`. */
function userErrorOfCall(call: RefusedMessage): UserError {
  return (
    userErrorOf(new GatewayException(call.code as GatewayErrorCode, call.message, call.field)) ?? {
      code: UserErrorCode.INVALID,
      field: ['input', ...call.field.split(/[.[\]]+/).filter((part) => part !== '')],
      message: call.message,
    }
  );
}

function refusedCall(call: RefusedMessage): RefusedCall {
  const { code, field, message } = userErrorOfCall(call);
  return { index: call.index, messageId: call.messageId ?? null, code, field: field ?? ['input', 'batch', String(call.index)], message };
}
