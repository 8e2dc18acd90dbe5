import type { GraphQLSchema } from 'graphql';

/**
 * Descriptions of the three root types, which no decorator can carry in NestJS's code-first schema:
 * set on the built schema, for `npm run schema` and for the running gateway's introspection alike.
 */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = [
    [schema.getQueryType(), "Reads of the API key's workspace: customers, journeys and their instances, messages, templates, audiences, broadcasts, conversations"],
    [schema.getMutationType(), "Changes in the API key's workspace: tracking calls, journey lifecycle and operator actions, consent, templates, audiences, broadcasts, messages"],
    [schema.getSubscriptionType(), 'Live updates over graphql-ws (authenticated when the socket connects): customer activity, journey instances, the inbox, conversations'],
  ] as const;
  for (const [type, description] of roots) if (type) type.description = description;
  return schema;
}
