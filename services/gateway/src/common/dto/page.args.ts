import { ArgsType, Field, Int } from '@nestjs/graphql';
import type { PageArgs } from '../connection';

/** The Relay arguments every connection takes: `first`/`after` forward, or `last`/`before` backward. */
@ArgsType()
export class ConnectionArgs implements PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page forward: this many items (1 to 100) after `after`; 20 when neither first nor last is given' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Page forward from this cursor (an endCursor or edge cursor); only with first' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page backward: the last this many items (1 to 100) before `before`; not with first' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Page backward from this cursor (a startCursor or edge cursor); only with last' })
  before?: string | null;
}
