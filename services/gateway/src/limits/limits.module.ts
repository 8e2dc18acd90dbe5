import { Module } from '@nestjs/common';
import { GraphqlLimits } from './graphql-limits';
import { GraphqlLimitsPlugin } from './graphql-limits.plugin';

/** GraphQL request limits; GraphqlLimits goes into the GraphQL module's options, the plugin is found by Apollo. */
@Module({ providers: [GraphqlLimits, GraphqlLimitsPlugin], exports: [GraphqlLimits] })
export class LimitsModule {}
