import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { WorkspaceStore, type ApiKeyPrincipal } from '@continuum/data';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import type { AuthenticatedRequest } from './workspace-context';

const CACHE_TTL_MS = 30_000;

/** GraphQL requires an `x-api-key` header naming a key of the workspace whose data it reads. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly cache = new Map<string, { principal: ApiKeyPrincipal; expires: number }>();

  constructor(private readonly workspaces: WorkspaceStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const request = GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'Missing x-api-key header');
    request.principal = await this.lookup(key);
    return true;
  }

  private async lookup(key: string): Promise<ApiKeyPrincipal> {
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.principal;
    const principal = await this.workspaces.authenticate(key);
    if (!principal) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'Invalid API key');
    this.cache.set(key, { principal, expires: Date.now() + CACHE_TTL_MS });
    return principal;
  }
}
