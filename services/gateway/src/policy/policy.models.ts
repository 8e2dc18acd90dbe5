import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { PolicyChange, PolicyVersion } from '@continuum/data';
import { connectionTypes } from '../common/connection-types';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { JSONValueScalar } from '../common/json-value.scalar';
import { PayloadType } from '../common/user-error';
import { Node } from '../node/node.model';

/** The layers of the governance policy, most general first. */
export enum PolicyLayerName {
  GLOBAL = 'GLOBAL',
  GLOBAL_COUNTRY = 'GLOBAL_COUNTRY',
  WORKSPACE = 'WORKSPACE',
  WORKSPACE_COUNTRY = 'WORKSPACE_COUNTRY',
}

registerEnumType(PolicyLayerName, {
  name: 'PolicyLayer',
  description: 'Where a rule of the messaging policy came from (docs/messaging.md, "Policy layers")',
  valuesMap: {
    GLOBAL: { description: "The deployment's defaults (its env: QUIET_HOURS, CHANNEL_DEFAULTS, FREQUENCY_CAPS, INBOUND_*…)" },
    GLOBAL_COUNTRY: { description: "The deployment's rule for the customer's country (QUIET_HOURS BR=…, CHANNEL_DEFAULTS BR=…, the country's time zone)" },
    WORKSPACE: { description: "The workspace's own policy" },
    WORKSPACE_COUNTRY: { description: "The workspace's policy for the customer's country (`countries.BR` in its document)" },
  },
});

/** The rule kinds of the policy document. */
export enum PolicyRuleName {
  CHANNEL_ORDER = 'channelOrder',
  QUIET_HOURS = 'quietHours',
  QUIET_HOURS_MODE = 'quietHoursMode',
  TIME_ZONE = 'timeZone',
  FREQUENCY_CAPS = 'frequencyCaps',
  CONSENT = 'consent',
  KEYWORDS = 'keywords',
  HELP_REPLIES = 'helpReplies',
  CONFIRMATION_REPLIES = 'confirmationReplies',
  SENDERS = 'senders',
  TONE_OF_VOICE = 'toneOfVoice',
  VOICE = 'voice',
}

registerEnumType(PolicyRuleName, {
  name: 'PolicyRule',
  description: 'A kind of rule of the messaging policy; its key in the policy document is given with each value',
  valuesMap: {
    CHANNEL_ORDER: { description: '`channelOrder`: the channels a send with channel "auto" tries, in order' },
    QUIET_HOURS: { description: '`quietHours`: {start, end} local HH:MM window in which marketing messages wait or are dropped; null: none' },
    QUIET_HOURS_MODE: { description: '`quietHoursMode`: "queue" (wait until the window ends) or "discard"' },
    TIME_ZONE: { description: "`timeZone`: the zone of customers without their own (a country's, else the workspace's)" },
    FREQUENCY_CAPS: { description: '`frequencyCaps`: [{channel ("*": all), max, window ("1 day")}] per customer' },
    CONSENT: { description: '`consent`: per channel, "implicit" (unless unsubscribed), "explicit" or "double_opt_in" (must have subscribed)' },
    KEYWORDS: { description: '`keywords`: per language, {stop, start, help} inbound words besides the standard STOP/START/HELP' },
    HELP_REPLIES: { description: '`helpReplies`: per locale, the answer to HELP' },
    CONFIRMATION_REPLIES: { description: '`confirmationReplies`: per locale, {stop, start}: the answers to STOP and START' },
    SENDERS: { description: '`senders`: {sms, whatsapp, messagingServiceSid, email}: sender numbers and ids (a number belongs to one workspace)' },
    TONE_OF_VOICE: { description: "`toneOfVoice`: the brand's tone of voice described for writers (free text; not applied to messages)" },
    VOICE: {
      description:
        '`voice`: {address: "informal" | "formal", signOff, emoji: true | false}: the form of address, sign-off and emoji rule of templates (`voice` in Liquid) and of the agents\' answers; unset parts: informal, none, true',
    },
  },
});

@ObjectType({ description: 'One difference between a version of a messaging policy and the one before it' })
export class MessagingPolicyChange {
  @Field({ description: 'The rule: `quietHours`, or a country\'s as `countries.BR.quietHours`' })
  path!: string;

  @Field(() => JSONValueScalar, { nullable: true, description: 'Its value before (null: not set)' })
  before!: unknown;

  @Field(() => JSONValueScalar, { nullable: true, description: 'Its value after (null: not set)' })
  after!: unknown;
}

@ObjectType({ description: "A saved version of a workspace's messaging policy", implements: () => [Node] })
export class MessagingPolicyVersion {
  /** Not a GraphQL field: the workspace (with `version`, the local id of the global `id`). */
  workspaceId!: string;

  @Field(() => Int, { description: 'Its number: 1 for the first save, one more for each save' })
  version!: number;

  @Field(() => JSONObjectScalar, { description: 'The whole document of this version (see MessagingPolicy.document)' })
  document!: Record<string, unknown>;

  @Field(() => [MessagingPolicyChange], { description: 'What changed since the version before, rule by rule' })
  changes!: PolicyChange[];

  @Field({ description: 'Who saved it: `api-key:<id>`, or `cli`' })
  author!: string;

  @Field(() => String, { nullable: true, description: 'Why, as the author said (updateMessagingPolicy input.comment)' })
  comment!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was saved' })
  createdAt!: Date;
}

const versionConnection = connectionTypes('MessagingPolicyVersion', () => MessagingPolicyVersion, {
  item: 'A version of the messaging policy',
  page: 'A page of the versions of a workspace\'s messaging policy, newest first',
  total: 'Versions saved, on every page',
});
export const MessagingPolicyVersionConnection = versionConnection.Connection;
export const MessagingPolicyVersionConnectionTotalCount = versionConnection.TotalCount;

@ObjectType({
  description:
    "A workspace's layer of the governance policy (docs/messaging.md, \"Policy layers\"): its rules over the deployment's, and per country over its own. Read at send time by every journey and broadcast; edited with updateMessagingPolicy",
})
export class MessagingPolicy {
  /** Not a GraphQL field: the workspace. */
  workspaceId!: string;

  @Field(() => Int, { description: 'The version in force; 0 when the workspace never saved one (the deployment\'s rules apply)' })
  version!: number;

  @Field(() => JSONObjectScalar, {
    description:
      'The policy document in force ({} when none): any of channelOrder, quietHours, quietHoursMode, timeZone, frequencyCaps, consent, keywords, helpReplies, confirmationReplies, senders, toneOfVoice, voice (see PolicyRule), and `countries: {"BR": {…the same rules…}}`. (JSON, not a typed object: each rule is replaced whole by a layer, and absent differs from null.)',
  })
  document!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the version in force was saved; null when none was' })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who saved the version in force; null when none was' })
  updatedBy!: string | null;
}

@ObjectType({ description: 'One rule of the policy as it applies to a customer: its value and the layer it came from' })
export class EffectivePolicyRule {
  @Field(() => PolicyRuleName, { description: 'Which rule' })
  rule!: PolicyRuleName;

  @Field(() => JSONValueScalar, { nullable: true, description: 'Its value for this customer (see PolicyRule for the shape); null for quietHours: none' })
  value!: unknown;

  @Field(() => PolicyLayerName, { description: 'The layer that gave it' })
  source!: PolicyLayerName;

  @Field(() => String, { nullable: true, description: 'The country of a country layer (GLOBAL_COUNTRY, WORKSPACE_COUNTRY); null otherwise' })
  country!: string | null;
}

@ObjectType({ description: 'The messaging policy as it applies to one customer now, rule by rule, with where each rule came from' })
export class EffectivePolicy {
  @Field({ description: 'The customer' })
  userId!: string;

  @Field(() => String, { nullable: true, description: "The customer's country (profile `country`, else the `country` trait) that picked the country layers; null: none known" })
  country!: string | null;

  @Field(() => Int, { description: "The version of the workspace's policy in force (0: none saved)" })
  version!: number;

  @Field(() => [EffectivePolicyRule], { description: 'Every rule that has a value, in the order of PolicyRule' })
  rules!: EffectivePolicyRule[];
}

@InputType({ description: "A new version of a workspace's messaging policy" })
export class UpdateMessagingPolicyInput {
  @Field(() => ID, { nullable: true, description: "The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND)" })
  workspaceId?: string | null;

  @Field(() => JSONObjectScalar, {
    description:
      'The whole policy document of the workspace (it replaces the one in force; see MessagingPolicy.document), e.g. {"channelOrder":["whatsapp","sms"],"countries":{"BR":{"quietHours":{"start":"21:00","end":"08:00"}}}}',
  })
  document!: Record<string, unknown>;

  @Field(() => Int, { nullable: true, description: 'The version this change was made on (MessagingPolicy.version): another save since then is CONFLICT. Omitted: no check' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'Why (kept with the version): at most 500 characters' })
  comment?: string | null;
}

@ObjectType({ description: 'The result of updateMessagingPolicy' })
export class UpdateMessagingPolicyPayload extends PayloadType('messagingPolicy', () => MessagingPolicy, 'The policy now in force; null when userErrors is not empty') {}

export function toVersionModel(version: PolicyVersion): MessagingPolicyVersion {
  return {
    workspaceId: version.workspaceId,
    version: version.version,
    document: version.document as Record<string, unknown>,
    changes: version.changes,
    author: version.author,
    comment: version.comment,
    createdAt: version.createdAt,
  };
}

export function toPolicyModel(workspaceId: string, version: PolicyVersion | undefined): MessagingPolicy {
  return {
    workspaceId,
    version: version?.version ?? 0,
    document: (version?.document ?? {}) as Record<string, unknown>,
    updatedAt: version?.createdAt ?? null,
    updatedBy: version?.author ?? null,
  };
}
