import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { connectionTypes } from '../../common/connection-types';
import { ChannelName } from '../../common/models/channel.model';
import { PayloadType } from '../../common/user-error';
import { Node } from '../../node/node.model';

@ObjectType({ description: 'One published version of a message template (versions never change)', implements: () => [Node] })
// `id` comes from Node: its local id is "<name>:<locale>:<version>" (names and locales have no ":").
export class MessageTemplateVersion {
  @Field({ description: 'Template name, e.g. "cart-reminder"' })
  name!: string;

  @Field({ description: '"default" or a BCP 47 locale such as "pt-BR" or "pt"' })
  locale!: string;

  @Field(() => Int, { description: '1, 2, …: each published body is the next version; sends use the latest' })
  version!: number;

  @Field(() => ChannelName, { description: 'The channel it is written for (SMS, WHATSAPP, RCS, EMAIL or IN_APP; an MMS send uses the SMS version)' })
  channel!: ChannelName;

  @Field({ description: 'The Liquid source' })
  body!: string;

  @Field(() => GraphQLISODateTime, { description: 'When this version was published' })
  createdAt!: Date;

  @Field({ description: 'Who published it (api-key:<id>)' })
  createdBy!: string;
}

@ObjectType({ description: 'A template in one locale: its latest version and its history', implements: () => [Node] })
// `id` comes from Node: its local id is "<name>:<locale>". `versions` is resolved only when selected.
export class MessageTemplate {
  @Field({ description: 'Template name, e.g. "cart-reminder"; sends and previews refer to it' })
  name!: string;

  @Field({ description: '"default" or a BCP 47 locale such as "pt-BR"; a send falls back from pt-BR to pt to default' })
  locale!: string;

  @Field(() => MessageTemplateVersion, { description: 'The version sends use' })
  latest!: MessageTemplateVersion;
}

const messageTemplateVersionConnection = connectionTypes('MessageTemplateVersion', () => MessageTemplateVersion, {
  item: 'The version',
  page: "A page of a template's versions, newest first",
  total: 'Versions of the template in this locale, on every page',
});
export const MessageTemplateVersionConnection = messageTemplateVersionConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const MessageTemplateVersionConnectionTotalCount = messageTemplateVersionConnection.TotalCount;

const messageTemplateConnection = connectionTypes('MessageTemplate', () => MessageTemplate, {
  item: 'The template in one locale',
  page: 'A page of templates (one per name and locale), ordered by name then locale',
  total: 'Templates (name and locale pairs) matching the filter, on every page',
});
export const MessageTemplateConnection = messageTemplateConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const MessageTemplateConnectionTotalCount = messageTemplateConnection.TotalCount;

@ObjectType({ description: 'What publishTemplate did: the template in that locale and the version published' })
export class PublishTemplatePayload extends PayloadType('template', () => MessageTemplate, 'The template in the locale published to, with its new latest version; null when userErrors is not empty') {
  @Field(() => MessageTemplateVersion, {
    nullable: true,
    description: 'The version the body is now: the new one, or the latest one unchanged when it already had this body and channel; null when userErrors is not empty',
  })
  version!: MessageTemplateVersion | null;
}

@ObjectType({ description: 'A template rendered against a sample payload, as a send would render it' })
export class TemplatePreview {
  @Field({ description: 'The rendered text' })
  text!: string;

  @Field({ description: 'The locale of the version used, after fallback (pt-BR → pt → default)' })
  locale!: string;

  @Field(() => Int, { description: 'The version rendered: the latest of that locale' })
  version!: number;

  @Field(() => ChannelName, { description: 'The channel the version was written for' })
  channel!: ChannelName;
}
