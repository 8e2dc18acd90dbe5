import type { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { RequiresScope } from '../auth/requires-scope';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { recoverUserErrors } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import {
  ApiKey,
  ApiKeyConnection,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  CreateWorkspaceInput,
  CreateWorkspacePayload,
  CreateWriteKeyInput,
  CreateWriteKeyPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
  RevokeWriteKeyInput,
  RevokeWriteKeyPayload,
  RotateApiKeyInput,
  RotateApiKeyPayload,
  Workspace,
  WorkspaceConnection,
  WriteKey,
  WriteKeyConnection,
} from './admin.models';
import { AdminService } from './admin.service';

const WORKSPACE_ARG = {
  type: () => ID,
  nullable: true,
  description: "The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND)",
} as const;

/** Tenant administration: workspaces, API keys and source write keys (docs/api/auth.md, "Administration"). */
@Resolver()
export class AdminResolver implements OnModuleInit {
  constructor(
    private readonly service: AdminService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: Workspace, localId: (w) => w.workspaceId, load: (principal, ids) => this.service.loadWorkspaces(principal, ids) });
    this.nodes.register({ type: ApiKey, localId: (k) => k.keyId, load: (principal, ids) => this.service.loadApiKeys(principal, ids) });
    this.nodes.register({ type: WriteKey, localId: (k) => k.keyId, load: (principal, ids) => this.service.loadWriteKeys(principal, ids) });
  }

  @RequiresScope('admin')
  @Query(() => WorkspaceConnection, {
    description: 'Workspaces ordered by slug: every one for a key of the operator workspace, only its own for a key of any other',
  })
  workspaces(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args() page: ConnectionArgs): Promise<ConnectionPage<Workspace>> {
    return this.service.workspaces(principal, page);
  }

  @RequiresScope('admin')
  @Mutation(() => CreateWorkspacePayload, {
    description:
      'Creates a workspace (with no keys: give it one with createApiKey and its workspaceId). Only a key of the operator workspace may (else FAILED_PRECONDITION). User errors: INVALID on ["input", "slug"] or ["input", "name"], CONFLICT on ["input", "slug"] when taken.',
  })
  createWorkspace(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'Its slug and name' }) input: CreateWorkspaceInput): Promise<CreateWorkspacePayload> {
    return recoverUserErrors<CreateWorkspacePayload>(
      async () => ({ workspace: await this.service.createWorkspace(principal, input.slug, input.name), userErrors: [] }),
      (userErrors) => ({ workspace: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Query(() => ApiKeyConnection, { description: 'API keys of a workspace, revoked ones included, oldest first; never their secrets' })
  apiKeys(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('workspaceId', WORKSPACE_ARG) workspaceId: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<ApiKey>> {
    return this.service.apiKeys(principal, workspaceId, page);
  }

  @RequiresScope('admin')
  @Mutation(() => CreateApiKeyPayload, {
    description:
      'Creates an API key holding the given scopes; its secret is in the payload only, once (stored hashed). User errors: INVALID on ["input", "name"] or ["input", "scopes"], NOT_FOUND on ["input", "workspaceId"].',
  })
  createApiKey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'Its name, scopes and workspace' }) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    return recoverUserErrors<CreateApiKeyPayload>(
      async () => ({ ...(await this.service.createApiKey(principal, input)), userErrors: [] }),
      (userErrors) => ({ apiKey: null, secret: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => RotateApiKeyPayload, {
    description:
      'Replaces a key by a new one with the same name and scopes and a new secret (in the payload only); the old secret is refused at once on this gateway and within 30 s on others (no grace period). User errors: NOT_FOUND or FAILED_PRECONDITION (already revoked) on ["input", "id"].',
  })
  rotateApiKey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The key to rotate' }) input: RotateApiKeyInput): Promise<RotateApiKeyPayload> {
    return recoverUserErrors<RotateApiKeyPayload>(
      async () => ({ ...(await this.service.rotateApiKey(principal, input.id)), userErrors: [] }),
      (userErrors) => ({ apiKey: null, secret: null, revokedApiKey: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => RevokeApiKeyPayload, {
    description:
      "Revokes a key: refused at once on this gateway, within 30 s on others. User errors on [\"input\", \"id\"]: NOT_FOUND; FAILED_PRECONDITION when already revoked or when it is its workspace's last admin key.",
  })
  revokeApiKey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The key to revoke' }) input: RevokeApiKeyInput): Promise<RevokeApiKeyPayload> {
    return recoverUserErrors<RevokeApiKeyPayload>(
      async () => ({ apiKey: await this.service.revokeApiKey(principal, input.id), userErrors: [] }),
      (userErrors) => ({ apiKey: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Query(() => WriteKeyConnection, { description: 'Source write keys of a workspace, revoked ones included, oldest first; never their secrets' })
  writeKeys(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('workspaceId', WORKSPACE_ARG) workspaceId: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<WriteKey>> {
    return this.service.writeKeys(principal, workspaceId, page);
  }

  @RequiresScope('admin')
  @Mutation(() => CreateWriteKeyPayload, {
    description: 'Creates a source write key for the tracking API (/v1); its secret is in the payload only, once. User errors: INVALID on ["input", "name"], NOT_FOUND on ["input", "workspaceId"].',
  })
  createWriteKey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'Its name and workspace' }) input: CreateWriteKeyInput): Promise<CreateWriteKeyPayload> {
    return recoverUserErrors<CreateWriteKeyPayload>(
      async () => ({ ...(await this.service.createWriteKey(principal, input)), userErrors: [] }),
      (userErrors) => ({ writeKey: null, secret: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => RevokeWriteKeyPayload, {
    description: 'Revokes a source write key at once. User errors on ["input", "id"]: NOT_FOUND; FAILED_PRECONDITION when already revoked.',
  })
  revokeWriteKey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The write key to revoke' }) input: RevokeWriteKeyInput): Promise<RevokeWriteKeyPayload> {
    return recoverUserErrors<RevokeWriteKeyPayload>(
      async () => ({ writeKey: await this.service.revokeWriteKey(principal, input.id), userErrors: [] }),
      (userErrors) => ({ writeKey: null, userErrors }),
    );
  }
}
