import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayConfig } from '@continuum/config';
import { GatewayErrorCode } from '../common/gateway-exception';
import { LimitExceededError } from './limit-exceeded-error';

export type RateLimits = Pick<GatewayConfig, 'GRAPHQL_RATE_LIMIT_PER_SECOND' | 'GRAPHQL_RATE_LIMIT_BURST'>;

/** Takes one point for `key`: undefined when it was there, else the whole seconds to wait (at least 1). */
export async function retryAfterUnlessTaken(limiter: RateLimiterAbstract | BurstyRateLimiter, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

/**
 * GraphQL requests per API key: GRAPHQL_RATE_LIMIT_PER_SECOND each second, and beyond that a
 * reserve of GRAPHQL_RATE_LIMIT_BURST requests, refilled every BURST ÷ PER_SECOND seconds.
 * In memory: each gateway process counts its own requests.
 */
export class ApiKeyRateLimiter {
  private readonly limiter: BurstyRateLimiter | undefined;

  constructor(private readonly limits: RateLimits) {
    const perSecond = limits.GRAPHQL_RATE_LIMIT_PER_SECOND;
    const burst = limits.GRAPHQL_RATE_LIMIT_BURST;
    this.limiter =
      perSecond === 0
        ? undefined
        : new BurstyRateLimiter(
            new RateLimiterMemory({ keyPrefix: 'graphql', points: perSecond, duration: 1 }),
            new RateLimiterMemory({ keyPrefix: 'graphql-burst', points: burst, duration: Math.max(1, Math.ceil(burst / perSecond)) }),
          );
  }

  /** Takes one request from the key's allowance, or throws RATE_LIMITED with `retryAfter` (seconds). */
  async consume(keyId: string): Promise<void> {
    if (!this.limiter) return;
    const retryAfter = await retryAfterUnlessTaken(this.limiter, keyId);
    if (retryAfter === undefined) return;
    const { GRAPHQL_RATE_LIMIT_PER_SECOND: perSecond, GRAPHQL_RATE_LIMIT_BURST: burst } = this.limits;
    throw new LimitExceededError(
      GatewayErrorCode.RateLimited,
      `Too many GraphQL requests for this API key: the limit is ${perSecond} per second (GRAPHQL_RATE_LIMIT_PER_SECOND) with a burst of ${burst} (GRAPHQL_RATE_LIMIT_BURST); retry after ${retryAfter} s`,
      { retryAfter, limit: perSecond, burst, setting: 'GRAPHQL_RATE_LIMIT_PER_SECOND' },
      { 'retry-after': String(retryAfter) },
    );
  }
}
