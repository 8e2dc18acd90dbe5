import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One published version of a message template (versions never change)' })
export class MessageTemplateVersion {
  @Field({ description: 'Template name, e.g. "cart-reminder"' })
  name!: string;

  @Field({ description: '"default" or a BCP 47 locale such as "pt-BR" or "pt"' })
  locale!: string;

  @Field(() => Int, { description: '1, 2, …: each published body is the next version; sends use the latest' })
  version!: number;

  @Field({ description: 'sms, whatsapp, rcs, email or in_app' })
  channel!: string;

  @Field({ description: 'The Liquid source' })
  body!: string;

  @Field(() => GraphQLISODateTime, { description: 'When this version was published' })
  createdAt!: Date;

  @Field({ description: 'Who published it (api-key:<id>)' })
  createdBy!: string;
}

@ObjectType({ description: 'A template in one locale: its latest version and its history' })
export class MessageTemplate {
  @Field({ description: 'Template name, e.g. "cart-reminder"; sends and previews refer to it' })
  name!: string;

  @Field({ description: '"default" or a BCP 47 locale such as "pt-BR"; a send falls back from pt-BR to pt to default' })
  locale!: string;

  @Field(() => MessageTemplateVersion, { description: 'The version sends use' })
  latest!: MessageTemplateVersion;

  @Field(() => [MessageTemplateVersion], { description: 'Every version, newest first (at most 100)' })
  versions!: MessageTemplateVersion[];
}

@ObjectType({ description: 'A template rendered against a sample payload, as a send would render it' })
export class TemplatePreview {
  @Field({ description: 'The rendered text' })
  text!: string;

  @Field({ description: 'The locale of the version used, after fallback (pt-BR → pt → default)' })
  locale!: string;

  @Field(() => Int, { description: 'The version rendered: the latest of that locale' })
  version!: number;

  @Field({ description: 'The channel the version was written for: sms, whatsapp, rcs, email or in_app' })
  channel!: string;
}
