import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { AuthenticatedRequest } from './workspace-context';

/**
 * GraphQL requires an `x-api-key` header naming a key of the workspace whose data it reads; over
 * graphql-ws the key comes from the connection parameters (see graphql-ws-auth.ts).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const request = GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
    const header = request.headers['x-api-key'];
    request.principal = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header);
    return true;
  }
}
