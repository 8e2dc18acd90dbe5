import { Injectable } from '@nestjs/common';
import { WorkspaceStore, type ApiKeyPrincipal } from '@continuum/data';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';

/** How long a key is trusted without asking the database: a revocation elsewhere applies within it. */
export const CACHE_TTL_MS = 30_000;

/** Resolves an API key to its workspace principal, for HTTP requests and WebSocket connections alike. */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { principal: ApiKeyPrincipal; expires: number }>();

  constructor(private readonly workspaces: WorkspaceStore) {}

  /** Throws `UNAUTHENTICATED` naming what is wrong: no key, or a key no workspace has. */
  async authenticate(key: string | undefined, missing = 'Missing x-api-key header'): Promise<ApiKeyPrincipal> {
    if (!key) throw new GatewayException(GatewayErrorCode.Unauthenticated, missing);
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.principal;
    const principal = await this.workspaces.authenticate(key);
    if (!principal) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'Invalid API key');
    this.cache.set(key, { principal, expires: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  /**
   * Drops a key from this gateway's cache (it was revoked or rotated), so that its next request is
   * checked against the database at once; other gateways drop it within CACHE_TTL_MS.
   */
  forgetKey(keyId: string): void {
    for (const [key, entry] of this.cache) if (entry.principal.keyId === keyId) this.cache.delete(key);
  }
}
