import { Injectable } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import type { ApiKeyPrincipal } from '@continuum/data';
import { TickBatches } from '../common/tick-batches';
import { toGlobalId } from './global-id';

/** How the gateway finds the entities of one type that implements `Node`. */
export interface NodeDefinition<T extends object> {
  /** The `@ObjectType({ implements: () => [Node] })` class; its GraphQL name is the type in the global id. */
  type: Type<T>;
  /** The GraphQL type name when it differs from the class name. */
  typeName?: string;
  /** The entity's key in its workspace, made into `id` by `toGlobalId`. */
  localId(entity: T): string;
  /** The entities of `localIds` in the caller's workspace, in the same order; null (or undefined) for any not found. */
  load(principal: ApiKeyPrincipal, localIds: readonly string[]): Promise<ReadonlyArray<T | null | undefined>>;
}

/**
 * Every type that implements `Node`, registered by its feature module when it starts (`onModuleInit`):
 * the `id` field of each one and the `node`/`nodes` queries are resolved through it.
 */
@Injectable()
export class NodeRegistry {
  private readonly byName = new Map<string, NodeDefinition<object>>();
  /** One batcher per Node type: the loads of one tick of resolution, per workspace, in one call. */
  private readonly batches = new Map<string, TickBatches<ApiKeyPrincipal, object>>();

  register<T extends object>(definition: NodeDefinition<T>): void {
    const name = definition.typeName ?? definition.type.name;
    if (this.byName.has(name)) throw new Error(`Node type ${name} registered twice`);
    this.byName.set(name, definition as unknown as NodeDefinition<object>);
  }

  definition(typeName: string): NodeDefinition<object> | undefined {
    return this.byName.get(typeName);
  }

  typeNames(): string[] {
    return [...this.byName.keys()].sort();
  }

  /**
   * The entity of type `typeName` with `localId`, null when the caller's workspace has none. The loads
   * made in the same tick of resolution for one caller go to the type's `load` in one call (a
   * relation resolved on each of a page of 100 nodes is one query, not 100); nothing is cached, so
   * each event of a subscription reads what is current. A batch serves the callers of one API key
   * only: some types' `load` answers by the key's scopes (admin-only entities).
   */
  loadOne<T extends object>(principal: ApiKeyPrincipal, typeName: string, localId: string): Promise<T | null> {
    let batches = this.batches.get(typeName);
    if (!batches) {
      const definition = this.byName.get(typeName);
      if (!definition) throw new Error(`the ${typeName} node type is not registered`);
      this.batches.set(typeName, (batches = new TickBatches((caller, ids) => definition.load(caller, ids), (caller) => `${caller.workspaceId}/${caller.keyId}`)));
    }
    return batches.load(principal, localId) as Promise<T | null>;
  }

  /** The global id of `entity`, an object of GraphQL type `typeName`. */
  globalId(typeName: string, entity: object): string {
    const definition = this.byName.get(typeName);
    if (!definition) throw new Error(`${typeName} implements Node but no module registered it with NodeRegistry`);
    return toGlobalId(typeName, definition.localId(entity));
  }
}
