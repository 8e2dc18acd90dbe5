import { Field, InputType } from '@nestjs/graphql';
import { ChannelName } from '../../common/models/channel.model';

@InputType({ description: 'A new body for a template in one locale; it becomes the next version' })
export class PublishTemplateInput {
  @Field({ description: 'Lower-case slug: a-z, 0-9, "-", "_", "." (e.g. "cart-reminder")' })
  name!: string;

  @Field(() => String, { nullable: true, description: '"default" (the default when omitted) or a BCP 47 locale such as "pt-BR"' })
  locale?: string | null;

  @Field(() => ChannelName, { description: 'The channel it is written for: SMS, WHATSAPP, RCS, EMAIL or IN_APP (MMS sends use the SMS templates: INVALID)' })
  channel!: ChannelName;

  @Field({ description: 'Liquid source; variables come from the contextual payload, e.g. {{ profile.traits.first_name }}' })
  body!: string;
}
