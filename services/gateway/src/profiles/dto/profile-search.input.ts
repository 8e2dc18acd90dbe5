import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { OrderDirection } from '../../common/models/order-direction.model';

@InputType({ description: 'A trait that must equal the given value (string comparison of a string trait)' })
export class TraitCriterionInput {
  @Field({ description: 'Trait name; must not be empty' })
  name!: string;

  @Field({ description: 'The value the trait must equal' })
  value!: string;
}

@InputType({ description: 'A string trait that must start with the given text (case-sensitive; `%`, `_` and `\\` are plain characters)' })
export class TraitPrefixInput {
  @Field({ description: 'Trait name, e.g. first_name; must not be empty' })
  name!: string;

  @Field({ description: 'The text the trait must start with; must not be empty' })
  prefix!: string;
}

@InputType({ description: 'Search criteria: every one given must match; with none, every profile does' })
export class ProfileSearchInput {
  @Field({ nullable: true, description: 'Exact userId' })
  userId?: string;

  @Field({ nullable: true, description: 'The userId starts with this text (case-sensitive; `%`, `_` and `\\` are plain characters); must not be empty' })
  userIdPrefix?: string;

  @Field({ nullable: true, description: 'Exact email, compared case-insensitively' })
  email?: string;

  @Field({ nullable: true, description: 'The email starts with this text, compared case-insensitively (`%`, `_` and `\\` are plain characters); must not be empty' })
  emailPrefix?: string;

  @Field({ nullable: true, description: 'Any international format; normalised to E.164 before the search' })
  phone?: string;

  @Field(() => TraitCriterionInput, { nullable: true, description: 'A trait and the value it must equal' })
  trait?: TraitCriterionInput;

  @Field(() => TraitPrefixInput, { nullable: true, description: 'A string trait and the text it must start with, e.g. a name being typed' })
  traitPrefix?: TraitPrefixInput;
}

export enum ProfileOrderField {
  USER_ID = 'USER_ID',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ProfileOrderField, {
  name: 'ProfileOrderField',
  description: 'What profiles can be sorted by',
  valuesMap: {
    USER_ID: { description: 'The userId (code-point order of the database collation)' },
    CREATED_AT: { description: 'When the profile was created; the userId breaks ties' },
    UPDATED_AT: { description: 'When the profile last changed; the userId breaks ties (a profile that changes while you page may move)' },
  },
});

@InputType({ description: 'The order of a profile search' })
export class ProfileOrder {
  @Field(() => ProfileOrderField, { description: 'What to sort by' })
  field!: ProfileOrderField;

  @Field(() => OrderDirection, { nullable: true, defaultValue: OrderDirection.ASC, description: 'The direction; default ASC' })
  direction?: OrderDirection;
}
