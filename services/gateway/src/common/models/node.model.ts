import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Marks a value the `node`/`nodes` queries return with its GraphQL type name, for `Node.resolveType`. */
export const NODE_TYPE = Symbol('node type');

@InterfaceType('Node', {
  description:
    'An entity with a global id: fetch it again with node(id:), or several with nodes(ids:); a normalising client cache keys it by id',
  resolveType: (value: { [NODE_TYPE]?: string }) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: 'Global id: opaque, unique across every type, stable for the life of the entity' })
  id!: string;
}
