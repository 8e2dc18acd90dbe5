import { Global, Module } from '@nestjs/common';
import { NodeRegistry } from './node-registry';
import { NodeResolver } from './node.resolver';

/**
 * The `Node` interface, global ids and the `node`/`nodes` queries. Global: a feature module injects
 * `NodeRegistry` and registers its Node types in `onModuleInit`.
 */
@Global()
@Module({ providers: [NodeRegistry, NodeResolver], exports: [NodeRegistry] })
export class NodeModule {}
