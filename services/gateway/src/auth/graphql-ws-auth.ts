import { CloseCode, type Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { GatewayException } from '../common/gateway-exception';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import type { AuthenticatedRequest } from './workspace-context';

/** The parameter of graphql-ws `connection_init` that carries the API key, as the header does over HTTP. */
export const API_KEY_CONNECTION_PARAM = 'x-api-key';

// NestJS types the transport's `extra` as unknown; with the `ws` server it is { socket, request }.
type WsContext = Context<Record<string, unknown> | undefined, unknown>;

function connectionKey(ctx: WsContext): string | undefined {
  const key = ctx.connectionParams?.[API_KEY_CONNECTION_PARAM];
  return typeof key === 'string' ? key : undefined;
}

/**
 * graphql-ws `onConnect`: a connection without a valid key is closed with 4401 and a reason saying
 * what is wrong, before any subscription starts.
 */
export function graphqlWsOnConnect(authenticator: ApiKeyAuthenticator) {
  return async (ctx: WsContext): Promise<boolean> => {
    try {
      await authenticator.authenticate(connectionKey(ctx), `Missing connectionParams["${API_KEY_CONNECTION_PARAM}"]`);
      return true;
    } catch (error) {
      if (!(error instanceof GatewayException)) throw error;
      (ctx.extra as Extra).socket.close(CloseCode.Unauthorized, error.message);
      return false;
    }
  };
}

/**
 * The GraphQL context for both transports: the HTTP request, or for a graphql-ws operation a
 * request whose `x-api-key` header is the connection's key, so that ApiKeyGuard and
 * CurrentPrincipal treat subscriptions exactly like queries.
 */
export function graphqlContext(ctx: { req?: unknown } | WsContext): { req: unknown } {
  if ('extra' in ctx && typeof ctx.extra === 'object' && ctx.extra !== null && 'socket' in ctx.extra) {
    const key = connectionKey(ctx);
    const req: Pick<AuthenticatedRequest, 'headers' | 'principal'> = { headers: key ? { [API_KEY_CONNECTION_PARAM]: key } : {} };
    return { req };
  }
  return { req: (ctx as { req?: unknown }).req };
}
