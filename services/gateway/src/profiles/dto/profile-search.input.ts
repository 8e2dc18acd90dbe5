import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A trait that must equal the given value (string comparison of a string trait)' })
export class TraitCriterionInput {
  @Field({ description: 'Trait name; must not be empty' })
  name!: string;

  @Field({ description: 'The value the trait must equal' })
  value!: string;
}

@InputType({ description: 'Search criteria; at least one is required and every one given must match' })
export class ProfileSearchInput {
  @Field({ nullable: true, description: 'Exact userId' })
  userId?: string;

  @Field({ nullable: true, description: 'Compared case-insensitively' })
  email?: string;

  @Field({ nullable: true, description: 'Any international format; normalised to E.164 before the search' })
  phone?: string;

  @Field(() => TraitCriterionInput, { nullable: true, description: 'A trait and the value it must equal' })
  trait?: TraitCriterionInput;
}
