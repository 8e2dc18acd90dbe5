import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Relay page information: where this page sits in the connection' })
export class PageInfo {
  @Field({ description: 'Whether items follow this page: page on with `first` and `after: endCursor`' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether items come before this page: page back with `last` and `before: startCursor`' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge; pass it as `before` for the previous page (null when the page is empty)' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page (null when the page is empty)' })
  endCursor!: string | null;
}
