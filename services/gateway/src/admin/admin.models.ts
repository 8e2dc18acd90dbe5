import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectionTypes } from '../common/connection-types';
import { PayloadType } from '../common/user-error';
import { Node } from '../node/node.model';

/** What an API key may do (docs/api/auth.md); `ALL` is `*`, every scope including later ones. */
export enum ApiKeyScopeName {
  TRACK = 'TRACK',
  READ = 'READ',
  OPERATE = 'OPERATE',
  AGENT = 'AGENT',
  ADMIN = 'ADMIN',
  ALL = 'ALL',
}

registerEnumType(ApiKeyScopeName, {
  name: 'ApiKeyScope',
  description: 'A scope an API key holds: which root fields it may call (docs/api/auth.md)',
  valuesMap: {
    TRACK: { description: 'The tracking mutations, consent and inbox marks: what an app or a Segment source sends' },
    READ: { description: 'Every query and subscription that reads data' },
    OPERATE: { description: 'Journey lifecycle, operator actions, templates, audiences, broadcasts, sends and erasure' },
    AGENT: { description: 'The agent desk: its queue, topics and conversations' },
    ADMIN: { description: 'Tenant administration: workspaces, API keys and source write keys' },
    ALL: { description: 'Every scope, including any added later (stored as "*"); alone when given' },
  },
});

@ObjectType({ description: 'A workspace: a brand or market with its own data, keys, rules and channels', implements: () => [Node] })
export class Workspace {
  /** Not a GraphQL field: the local id of the global `id`. */
  workspaceId!: string;

  @Field({ description: 'Unique lower-case handle: a-z, 0-9 and "-" (e.g. "acme-br")' })
  slug!: string;

  @Field({ description: 'Display name' })
  name!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was created' })
  createdAt!: Date;
}

@ObjectType({ description: 'An API key of a workspace: its name, scopes and state; never its secret nor the hash of it', implements: () => [Node] })
export class ApiKey {
  /** Not a GraphQL field: the local id of the global `id` (the key's UUID). */
  keyId!: string;

  @Field({ description: 'What the key is for, e.g. "checkout backend"' })
  name!: string;

  @Field(() => [ApiKeyScopeName], { description: 'The scopes it holds, in canonical order; [ALL] for *' })
  scopes!: ApiKeyScopeName[];

  @Field(() => GraphQLISODateTime, { description: 'When it was created (a rotation creates a new key)' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked (or rotated away); null while it works' })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A source write key of the Segment-compatible tracking API (/v1): it can only send tracking calls to its workspace', implements: () => [Node] })
export class WriteKey {
  /** Not a GraphQL field: the local id of the global `id` (the key's UUID). */
  keyId!: string;

  @Field({ description: 'The source it belongs to, e.g. "ios-app"' })
  name!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was created' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked; null while it works' })
  revokedAt!: Date | null;
}

const workspaceConnection = connectionTypes('Workspace', () => Workspace, {
  item: 'A workspace',
  page: 'A page of workspaces, ordered by slug',
  total: 'Workspaces visible to the key, on every page',
});
export const WorkspaceConnection = workspaceConnection.Connection;
export const WorkspaceConnectionTotalCount = workspaceConnection.TotalCount;

const apiKeyConnection = connectionTypes('ApiKey', () => ApiKey, {
  item: 'An API key',
  page: 'A page of API keys of a workspace (revoked ones included), oldest first',
  total: 'API keys of the workspace, on every page',
});
export const ApiKeyConnection = apiKeyConnection.Connection;
export const ApiKeyConnectionTotalCount = apiKeyConnection.TotalCount;

const writeKeyConnection = connectionTypes('WriteKey', () => WriteKey, {
  item: 'A source write key',
  page: 'A page of source write keys of a workspace (revoked ones included), oldest first',
  total: 'Write keys of the workspace, on every page',
});
export const WriteKeyConnection = writeKeyConnection.Connection;
export const WriteKeyConnectionTotalCount = writeKeyConnection.TotalCount;

@InputType({ description: 'A new workspace' })
export class CreateWorkspaceInput {
  @Field({ description: 'Unique handle: 1 to 63 of a-z, 0-9 and "-", starting with a letter or digit' })
  slug!: string;

  @Field({ description: 'Display name: 1 to 100 characters, trimmed' })
  name!: string;
}

@InputType({ description: 'A new API key' })
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for: 1 to 100 characters, trimmed' })
  name!: string;

  @Field(() => [ApiKeyScopeName], { description: 'The scopes it holds: at least one; ALL alone when given' })
  scopes!: ApiKeyScopeName[];

  @Field(() => ID, { nullable: true, description: "The workspace's id; omitted: the caller's own (only an operator workspace key may name another)" })
  workspaceId?: string | null;
}

@InputType({ description: 'The API key to rotate' })
export class RotateApiKeyInput {
  @Field(() => ID, { description: 'The id of the API key' })
  id!: string;
}

@InputType({ description: 'The API key to revoke' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'The id of the API key' })
  id!: string;
}

@InputType({ description: 'A new source write key' })
export class CreateWriteKeyInput {
  @Field({ description: 'The source it is for: 1 to 100 characters, trimmed' })
  name!: string;

  @Field(() => ID, { nullable: true, description: "The workspace's id; omitted: the caller's own (only an operator workspace key may name another)" })
  workspaceId?: string | null;
}

@InputType({ description: 'The source write key to revoke' })
export class RevokeWriteKeyInput {
  @Field(() => ID, { description: 'The id of the write key' })
  id!: string;
}

@ObjectType({ description: 'The result of createWorkspace' })
export class CreateWorkspacePayload extends PayloadType('workspace', () => Workspace, 'The new workspace; null when userErrors is not empty') {}

@ObjectType({ description: 'The result of createApiKey: the secret is shown here only' })
export class CreateApiKeyPayload extends PayloadType('apiKey', () => ApiKey, 'The new key; null when userErrors is not empty') {
  @Field(() => String, { nullable: true, description: 'The secret to send as x-api-key: shown once, stored only hashed; null when userErrors is not empty' })
  secret!: string | null;
}

@ObjectType({ description: 'The result of rotateApiKey: a new key with the same name and scopes; the old one is revoked at once' })
export class RotateApiKeyPayload extends PayloadType('apiKey', () => ApiKey, 'The new key; null when userErrors is not empty') {
  @Field(() => String, { nullable: true, description: 'The new secret: shown once, stored only hashed; null when userErrors is not empty' })
  secret!: string | null;

  @Field(() => ApiKey, { nullable: true, description: 'The old key, now revoked; null when userErrors is not empty' })
  revokedApiKey!: ApiKey | null;
}

@ObjectType({ description: 'The result of revokeApiKey' })
export class RevokeApiKeyPayload extends PayloadType('apiKey', () => ApiKey, 'The key, revoked; null when userErrors is not empty') {}

@ObjectType({ description: 'The result of createWriteKey: the secret is shown here only' })
export class CreateWriteKeyPayload extends PayloadType('writeKey', () => WriteKey, 'The new write key; null when userErrors is not empty') {
  @Field(() => String, { nullable: true, description: 'The write key to give the source (HTTP Basic user name of /v1): shown once, stored only hashed; null when userErrors is not empty' })
  secret!: string | null;
}

@ObjectType({ description: 'The result of revokeWriteKey' })
export class RevokeWriteKeyPayload extends PayloadType('writeKey', () => WriteKey, 'The write key, revoked; null when userErrors is not empty') {}
