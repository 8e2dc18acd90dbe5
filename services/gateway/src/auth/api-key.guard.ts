import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { holdsScope, type ApiScope } from '@continuum/data';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { MissingScopeException, REQUIRED_SCOPE } from './requires-scope';
import type { AuthenticatedRequest } from './workspace-context';

/**
 * GraphQL requires an `x-api-key` header naming a key of the workspace whose data it reads; over
 * graphql-ws the key comes from the connection parameters (see graphql-ws-auth.ts), and this guard
 * runs when each subscription starts. Every root field requires the scope its resolver declares with
 * `@RequiresScope`; a root field that declares none is refused (fail closed). A REST route that
 * declares a scope is authenticated the same way, by `x-api-key` or `Authorization: Bearer <key>`
 * (its handler reads `request.principal`); REST
 * routes that declare none (health, metrics, webhooks, Segment's write-key routes) are not API-key routes.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.get<ApiScope | undefined>(REQUIRED_SCOPE, context.getHandler());
    if (context.getType<string>() !== 'graphql') {
      if (!required) return true;
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      request.principal = await this.authenticator.authenticate(request.header('x-api-key') ?? bearerToken(request.header('authorization')));
      if (!holdsScope(request.principal.scopes, required)) throw new MissingScopeException(required, `${request.method} ${request.route?.path ?? request.path}`);
      return true;
    }
    const gql = GqlExecutionContext.create(context);
    const request = gql.getContext<{ req: AuthenticatedRequest }>().req;
    const header = request.headers['x-api-key'];
    request.principal = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const operation = `${info.parentType.name}.${info.fieldName}`;
    if (!required) throw new MissingScopeException(null, operation);
    if (!holdsScope(request.principal.scopes, required)) throw new MissingScopeException(required, operation);
    return true;
  }
}

/** The key of an `Authorization: Bearer <key>` header (what Temporal's Web UI and CLI send to a codec server). */
function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
