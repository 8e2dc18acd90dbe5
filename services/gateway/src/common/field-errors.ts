import { graphQLErrorOf } from './gateway-error-mapping';
import { GatewayException } from './gateway-exception';

/**
 * Field resolvers run outside Nest's exception filters (GraphQLModule has no
 * `fieldResolverEnhancers`), so a GatewayException thrown there is turned into the same GraphQL
 * error the filter would make: its code and offending field in `extensions`.
 */
export async function withGatewayErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GatewayException) {
      throw graphQLErrorOf(error);
    }
    throw error;
  }
}
