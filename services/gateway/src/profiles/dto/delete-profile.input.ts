import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'The customer to erase' })
export class DeleteProfileInput {
  @Field({ description: 'The customer (userId); NOT_FOUND when unknown' })
  userId!: string;
}
