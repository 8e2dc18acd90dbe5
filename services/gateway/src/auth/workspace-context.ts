import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import type { Request } from 'express';

export type AuthenticatedRequest = Request & { principal?: ApiKeyPrincipal };

/** The workspace (and key) the request's API key belongs to. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyPrincipal => {
  const request = GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
  if (!request.principal) throw new Error('CurrentPrincipal used without ApiKeyGuard');
  return request.principal;
});
