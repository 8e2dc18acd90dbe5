import type { Type } from '@nestjs/common';
import { Field, ObjectType } from '@nestjs/graphql';
import { totalCountResolver } from './connection';
import { PageInfo } from './models/page-info.model';

/**
 * The `<Name>Edge` and `<Name>Connection` object types of a Relay connection of `node`, and the
 * resolver of its `totalCount` (register `TotalCount` as a provider and in schema.ts).
 */
export function connectionTypes<T>(
  name: string,
  node: () => Type<T>,
  text: { item: string; page: string; total: string },
): { Edge: Type<unknown>; Connection: Type<unknown>; TotalCount: Type<unknown> } {
  @ObjectType(`${name}Edge`, { description: `${text.item} and its cursor` })
  class Edge {
    @Field({ description: 'Opaque cursor' })
    cursor!: string;

    @Field(node, { description: text.item })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: text.page })
  class Connection {
    @Field(() => [Edge], { description: 'The items of the page, each with its cursor' })
    edges!: Edge[];

    @Field(() => [node()], { description: 'The items of the edges, in the same order, for a client that needs no cursors' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
    pageInfo!: PageInfo;
  }
  Object.defineProperty(Edge, 'name', { value: `${name}Edge` });
  Object.defineProperty(Connection, 'name', { value: `${name}Connection` });
  return { Edge, Connection, TotalCount: totalCountResolver(Connection, text.total) };
}
