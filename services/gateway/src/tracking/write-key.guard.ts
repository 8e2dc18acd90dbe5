import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SourceKeyStore, type WriteKeyPrincipal } from '@continuum/data';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { unstorableReason } from '../common/storable-text';

const CACHE_TTL_MS = 30_000;

export type TrackingRequest = Request & { source?: WriteKeyPrincipal };

/**
 * Resolves a write key to its source, caching it for CACHE_TTL_MS; one instance per gateway (a
 * provider: the admin API drops a revoked key from it, which a guard instance could not offer).
 */
@Injectable()
export class WriteKeyAuthenticator {
  private readonly cache = new Map<string, { principal: WriteKeyPrincipal; expires: number }>();

  constructor(private readonly keys: SourceKeyStore) {}

  async lookup(key: string): Promise<WriteKeyPrincipal> {
    // A key decoded from Basic auth can hold any character; none of ours holds these.
    if (unstorableReason(key)) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'Invalid write key');
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.principal;
    const principal = await this.keys.authenticate(key);
    if (!principal) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'Invalid write key');
    this.cache.set(key, { principal, expires: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  /** Drops a revoked write key from this gateway's cache; other gateways drop it within CACHE_TTL_MS. */
  forgetKey(sourceId: string): void {
    for (const [key, entry] of this.cache) if (entry.principal.sourceId === sourceId) this.cache.delete(key);
  }
}

/**
 * The tracking API's authentication, as Segment's: HTTP Basic with the source write key as the
 * user name and an empty password (`writeKey` in the JSON body is accepted too).
 */
@Injectable()
export class WriteKeyGuard implements CanActivate {
  constructor(private readonly authenticator: WriteKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TrackingRequest>();
    request.source = await this.authenticator.lookup(writeKeyOf(request));
    return true;
  }
}

function writeKeyOf(request: Request): string {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, encoded] = header.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() !== 'basic' || !encoded) {
      throw new GatewayException(GatewayErrorCode.Unauthenticated, 'Authorization must be HTTP Basic with the source write key as the user name');
    }
    const user = Buffer.from(encoded, 'base64').toString('utf8').split(':')[0] ?? '';
    if (user) return user;
  }
  const body: unknown = request.body;
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>)['writeKey'] : undefined;
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  throw new GatewayException(
    GatewayErrorCode.Unauthenticated,
    'Missing write key: use HTTP Basic auth with the source write key as the user name and an empty password',
  );
}

/** The source (workspace and write key) the request authenticated as. */
export const CurrentSource = createParamDecorator((_data: unknown, context: ExecutionContext): WriteKeyPrincipal => {
  const request = context.switchToHttp().getRequest<TrackingRequest>();
  if (!request.source) throw new Error('CurrentSource used without WriteKeyGuard');
  return request.source;
});
