import { Args, ID, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { GatewayException } from '../common/gateway-exception';
import { MAX_PAGE_SIZE } from '../common/relay-pagination';
import { parseGlobalId } from './global-id';
import { Node, NODE_TYPE } from './node.model';
import { NodeRegistry } from './node-registry';
import { RequiresScope } from '../auth/requires-scope';

type Tagged = object & { [NODE_TYPE]?: string };

/** `node(id:)`, `nodes(ids:)`, and the `id` of every type implementing `Node`. */
@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @RequiresScope('read')
  @Query(() => Node, {
    nullable: true,
    description: 'The entity with this global id in your workspace; null when it does not exist (any more). An id this API never handed out: BAD_USER_INPUT',
  })
  async node(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'A global id (the `id` of any Node)' }) id: string,
  ): Promise<Tagged | null> {
    const [found] = await this.load(principal, [id], () => 'id');
    return found;
  }

  @RequiresScope('read')
  @Query(() => [Node], {
    nullable: 'items',
    description: `The entities with these global ids, in the same order, null where one does not exist; at most ${MAX_PAGE_SIZE} ids`,
  })
  async nodes(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('ids', { type: () => [ID], description: `Global ids (the \`id\` of any Node), at most ${MAX_PAGE_SIZE}` }) ids: string[],
  ): Promise<Array<Tagged | null>> {
    if (ids.length > MAX_PAGE_SIZE) throw GatewayException.badInput('ids', `at most ${MAX_PAGE_SIZE} ids, got ${ids.length}`);
    return this.load(principal, ids, (index) => `ids.${index}`);
  }

  @ResolveField(() => ID, { description: 'Global id: opaque, unique across every type, stable for the life of the entity' })
  id(@Parent() entity: object, @Info() info: GraphQLResolveInfo): string {
    return this.registry.globalId(info.parentType.name, entity);
  }

  /** Parses every id first (a bad one fails the whole call), then loads each type's ids in one call. */
  private async load(principal: ApiKeyPrincipal, ids: readonly string[], fieldOf: (index: number) => string): Promise<Array<Tagged | null>> {
    const parsed = ids.map((id, index) => {
      const global = parseGlobalId(id);
      if (!global || !this.registry.definition(global.typeName)) throw GatewayException.badInput(fieldOf(index), `"${id}" is not an id this API handed out`);
      return global;
    });
    const results: Array<Tagged | null> = ids.map(() => null);
    const byType = new Map<string, number[]>();
    parsed.forEach(({ typeName }, index) => byType.set(typeName, [...(byType.get(typeName) ?? []), index]));
    for (const [typeName, indexes] of byType) {
      const definition = this.registry.definition(typeName)!;
      const found = await definition.load(principal, indexes.map((index) => parsed[index]!.localId));
      indexes.forEach((index, position) => {
        const entity = found[position];
        if (entity) results[index] = Object.assign(entity, { [NODE_TYPE]: typeName });
      });
    }
    return results;
  }
}
