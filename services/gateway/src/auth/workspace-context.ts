import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import type { Request } from 'express';

export type AuthenticatedRequest = Request & { principal?: ApiKeyPrincipal };

/** The principal ApiKeyGuard put on the request (a REST route must declare `@RequiresScope`). */
export function principalOf(request: AuthenticatedRequest): ApiKeyPrincipal {
  if (!request.principal) throw new Error('The API key principal was read without ApiKeyGuard (no @RequiresScope on the route?)');
  return request.principal;
}

/** The workspace (and key) the request's API key belongs to. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyPrincipal =>
  principalOf(GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req),
);
