import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A trait that must equal the given value (string comparison of a string trait)' })
export class TraitCriterionInput {
  @Field()
  name!: string;

  @Field()
  value!: string;
}

@InputType({ description: 'Search criteria; at least one is required and every one given must match' })
export class ProfileSearchInput {
  @Field({ nullable: true })
  userId?: string;

  @Field({ nullable: true, description: 'Compared case-insensitively' })
  email?: string;

  @Field({ nullable: true, description: 'Any international format; normalised to E.164 before the search' })
  phone?: string;

  @Field(() => TraitCriterionInput, { nullable: true })
  trait?: TraitCriterionInput;
}
