import { SetMetadata } from '@nestjs/common';
import { TypeMetadataStorage } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import type { ApiScope } from '@continuum/data';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';

export const REQUIRED_SCOPE = 'continuum:requiredScope';

/**
 * The scope a GraphQL root field (or a REST route taking an API key) requires: ApiKeyGuard refuses
 * a key without it, and a root field without this decorator, with FORBIDDEN. docs/api/auth.md.
 */
export const RequiresScope = (scope: ApiScope): MethodDecorator => SetMetadata(REQUIRED_SCOPE, scope);

/** FORBIDDEN naming the scope the key lacks (`extensions.requiredScope`, `error.requiredScope` over REST). */
export class MissingScopeException extends GatewayException {
  constructor(
    readonly requiredScope: ApiScope | null,
    operation: string,
  ) {
    super(
      GatewayErrorCode.Forbidden,
      requiredScope
        ? `${operation} requires the "${requiredScope}" scope, which this API key does not hold`
        : `${operation} declares no required scope, so no API key may use it`,
    );
  }
}

/** The description suffix that tells clients a root field's scope (parsed back by the scope matrix test). */
export function scopeNote(scope: ApiScope): string {
  return `Requires scope: \`${scope}\`.`;
}

/** The scope each root field declares, from the resolvers' metadata: `Query.profile` → `read`. */
export function declaredRootScopes(): Map<string, ApiScope> {
  const scopes = new Map<string, ApiScope>();
  const roots = [
    ['Query', TypeMetadataStorage.getQueriesMetadata()],
    ['Mutation', TypeMetadataStorage.getMutationsMetadata()],
    ['Subscription', TypeMetadataStorage.getSubscriptionsMetadata()],
  ] as const;
  for (const [root, fields] of roots) {
    for (const field of fields) {
      const handler = (field.target.prototype as Record<string, unknown>)[field.methodName];
      const scope = typeof handler === 'function' ? (Reflect.getMetadata(REQUIRED_SCOPE, handler) as ApiScope | undefined) : undefined;
      if (scope) scopes.set(`${root}.${field.schemaName}`, scope);
    }
  }
  return scopes;
}

/** Appends each root field's required scope to its description, for introspection and schema.gql alike. */
export function describeRequiredScopes(schema: GraphQLSchema): GraphQLSchema {
  const scopes = declaredRootScopes();
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const scope = scopes.get(`${type?.name}.${field.name}`);
      if (!scope || field.description?.endsWith(scopeNote(scope))) continue;
      field.description = field.description ? `${field.description}\n${scopeNote(scope)}` : scopeNote(scope);
    }
  }
  return schema;
}
