import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A new body for a template in one locale; it becomes the next version' })
export class PublishTemplateInput {
  @Field({ description: 'Lower-case slug: a-z, 0-9, "-", "_", "." (e.g. "cart-reminder")' })
  name!: string;

  @Field({ nullable: true, description: '"default" (the default) or a BCP 47 locale such as "pt-BR"' })
  locale?: string;

  @Field({ description: 'sms, whatsapp, rcs, email or in_app' })
  channel!: string;

  @Field({ description: 'Liquid source; variables come from the contextual payload, e.g. {{ profile.traits.first_name }}' })
  body!: string;
}
