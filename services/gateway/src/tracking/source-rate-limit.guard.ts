import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { GATEWAY_CONFIG } from '../core/tokens';
import { retryAfterUnlessTaken } from '../limits/rate-limit';
import { TrackingBackpressure } from './tracking.service';
import type { TrackingRequest } from './write-key.guard';

/**
 * TRACKING_RATE_LIMIT_PER_SECOND requests per second per source write key (after WriteKeyGuard):
 * more are answered 429 with Retry-After, which Segment's clients honour before sending again.
 * Counted in this gateway process (rate-limiter-flexible's in-memory limiter).
 */
@Injectable()
export class SourceRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiterMemory | undefined;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const perSecond = config.TRACKING_RATE_LIMIT_PER_SECOND;
    this.limiter = perSecond > 0 ? new RateLimiterMemory({ keyPrefix: 'tracking-source', points: perSecond, duration: 1 }) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const source = context.switchToHttp().getRequest<TrackingRequest>().source;
    if (!this.limiter || !source) return true;
    const retryAfter = await retryAfterUnlessTaken(this.limiter, source.sourceId);
    if (retryAfter === undefined) return true;
    throw new TrackingBackpressure(
      retryAfter,
      `Source "${source.sourceName}" sent more than ${this.config.TRACKING_RATE_LIMIT_PER_SECOND} requests in one second (TRACKING_RATE_LIMIT_PER_SECOND); retry in ${retryAfter} s`,
    );
  }
}
