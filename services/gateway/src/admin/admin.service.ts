import { Injectable } from '@nestjs/common';
import {
  AdminError,
  ALL_SCOPES,
  apiKeyActor,
  holdsScope,
  TenantAdmin,
  type AdminErrorCode,
  type ApiKeyInfo,
  type ApiKeyPrincipal,
  type KeyPosition,
  type WorkspaceInfo,
  type WriteKeyInfo,
} from '@continuum/data';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import { localIdOf } from '../node/global-id';
import { WriteKeyAuthenticator } from '../tracking/write-key.guard';
import { ApiKeyScopeName, type ApiKey, type Workspace, type WriteKey } from './admin.models';

const CODES: Record<AdminErrorCode, GatewayErrorCode> = {
  INVALID: GatewayErrorCode.BadUserInput,
  NOT_FOUND: GatewayErrorCode.NotFound,
  FAILED_PRECONDITION: GatewayErrorCode.FailedPrecondition,
  CONFLICT: GatewayErrorCode.Conflict,
};

/** An AdminError as the GatewayException of the same code and field (a user error of the payload). */
async function asGatewayErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AdminError) throw new GatewayException(CODES[error.code], error.message, error.field);
    throw error;
  }
}

export function toWorkspace(row: WorkspaceInfo): Workspace {
  return { workspaceId: row.id, slug: row.slug, name: row.name, createdAt: row.createdAt };
}

export function toApiKey(row: ApiKeyInfo): ApiKey {
  return {
    keyId: row.id,
    name: row.name,
    scopes: row.scopes.map((scope) => (scope === ALL_SCOPES ? ApiKeyScopeName.ALL : (scope.toUpperCase() as ApiKeyScopeName))),
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

export function toWriteKey(row: WriteKeyInfo): WriteKey {
  return { keyId: row.id, name: row.name, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

function scopeNames(scopes: readonly ApiKeyScopeName[]): string[] {
  return scopes.map((scope) => (scope === ApiKeyScopeName.ALL ? ALL_SCOPES : scope.toLowerCase()));
}

const keyPosition = (cursor: string, argument: 'after' | 'before'): KeyPosition =>
  decodePosition(cursor, ['createdAt', 'id'], (p) => !Number.isNaN(Date.parse(p.createdAt)) && /^[0-9a-f-]{36}$/.test(p.id), argument);

/**
 * Tenant administration for the admin API (docs/api/auth.md, "Administration"). A key of the operator
 * workspace (the default one, where the bootstrap key lives) administers every workspace; a key of
 * any other workspace administers its own keys only, and sees only its own workspace.
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly admin: TenantAdmin,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly writeKeyCache: WriteKeyAuthenticator,
  ) {}

  isOperator(principal: ApiKeyPrincipal): boolean {
    return principal.workspaceId === TenantAdmin.OPERATOR_WORKSPACE_ID;
  }

  async workspaces(principal: ApiKeyPrincipal, page: PageArgs): Promise<ConnectionPage<Workspace>> {
    const only = this.isOperator(principal) ? undefined : principal.workspaceId;
    const request = pageRequest<string>(page, (cursor, argument) => decodePosition(cursor, ['slug'], () => true, argument).slug);
    const rows = await this.admin.listWorkspaces(request, only);
    return pageOf(rows, request, (row) => ({ cursor: encodePosition({ slug: row.slug }), node: toWorkspace(row) }), () => this.admin.countWorkspaces(only));
  }

  createWorkspace(principal: ApiKeyPrincipal, slug: string, name: string): Promise<Workspace> {
    return asGatewayErrors(async () => {
      if (!this.isOperator(principal)) {
        const message = 'only an admin key of the operator workspace may create workspaces';
        await this.admin.audit(apiKeyActor(principal.keyId), principal.workspaceId, 'createWorkspace', null, { slug, name }, 'error', message);
        throw new AdminError('FAILED_PRECONDITION', message);
      }
      return toWorkspace(await this.admin.createWorkspace(apiKeyActor(principal.keyId), slug, name));
    });
  }

  /** The workspace a request acts on: the caller's own, or (operator only) the one named by `field`. */
  async targetWorkspace(principal: ApiKeyPrincipal, workspaceId: string | null | undefined, field: string): Promise<string> {
    if (workspaceId == null) return principal.workspaceId;
    const localId = localIdOf(workspaceId, 'Workspace', field);
    const found = (await this.admin.workspacesByIds([localId]))[0];
    if (!found || (!this.isOperator(principal) && found.id !== principal.workspaceId)) {
      throw new GatewayException(GatewayErrorCode.NotFound, `no workspace has the id "${workspaceId}"`, field);
    }
    return found.id;
  }

  /** Where keys are looked up: any workspace for an operator key, else the caller's. */
  private keyScope(principal: ApiKeyPrincipal): string | null {
    return this.isOperator(principal) ? null : principal.workspaceId;
  }

  async apiKeys(principal: ApiKeyPrincipal, workspaceId: string | null | undefined, page: PageArgs): Promise<ConnectionPage<ApiKey>> {
    const target = await this.targetWorkspace(principal, workspaceId, 'workspaceId');
    const request = pageRequest<KeyPosition>(page, keyPosition);
    const rows = await this.admin.listApiKeys(target, request);
    return pageOf(rows, request, (row) => ({ cursor: encodePosition({ createdAt: row.position, id: row.id }), node: toApiKey(row) }), () => this.admin.countApiKeys(target));
  }

  createApiKey(principal: ApiKeyPrincipal, input: { name: string; scopes: ApiKeyScopeName[]; workspaceId?: string | null }): Promise<{ apiKey: ApiKey; secret: string }> {
    return asGatewayErrors(async () => {
      const target = await this.targetWorkspace(principal, input.workspaceId, 'workspaceId');
      const created = await this.admin.createApiKey(apiKeyActor(principal.keyId), target, input.name, scopeNames(input.scopes));
      return { apiKey: toApiKey(created.apiKey), secret: created.secret };
    });
  }

  rotateApiKey(principal: ApiKeyPrincipal, id: string): Promise<{ apiKey: ApiKey; secret: string; revokedApiKey: ApiKey }> {
    return asGatewayErrors(async () => {
      const rotated = await this.admin.rotateApiKey(apiKeyActor(principal.keyId), this.keyScope(principal), localIdOf(id, 'ApiKey', 'id'));
      this.authenticator.forgetKey(rotated.revoked.id);
      return { apiKey: toApiKey(rotated.apiKey), secret: rotated.secret, revokedApiKey: toApiKey(rotated.revoked) };
    });
  }

  revokeApiKey(principal: ApiKeyPrincipal, id: string): Promise<ApiKey> {
    return asGatewayErrors(async () => {
      const revoked = await this.admin.revokeApiKey(apiKeyActor(principal.keyId), this.keyScope(principal), localIdOf(id, 'ApiKey', 'id'));
      this.authenticator.forgetKey(revoked.id);
      return toApiKey(revoked);
    });
  }

  async writeKeys(principal: ApiKeyPrincipal, workspaceId: string | null | undefined, page: PageArgs): Promise<ConnectionPage<WriteKey>> {
    const target = await this.targetWorkspace(principal, workspaceId, 'workspaceId');
    const request = pageRequest<KeyPosition>(page, keyPosition);
    const rows = await this.admin.listWriteKeys(target, request);
    return pageOf(rows, request, (row) => ({ cursor: encodePosition({ createdAt: row.position, id: row.id }), node: toWriteKey(row) }), () => this.admin.countWriteKeys(target));
  }

  createWriteKey(principal: ApiKeyPrincipal, input: { name: string; workspaceId?: string | null }): Promise<{ writeKey: WriteKey; secret: string }> {
    return asGatewayErrors(async () => {
      const target = await this.targetWorkspace(principal, input.workspaceId, 'workspaceId');
      const created = await this.admin.createWriteKey(apiKeyActor(principal.keyId), target, input.name);
      return { writeKey: toWriteKey(created.writeKey), secret: created.secret };
    });
  }

  revokeWriteKey(principal: ApiKeyPrincipal, id: string): Promise<WriteKey> {
    return asGatewayErrors(async () => {
      const revoked = await this.admin.revokeWriteKey(apiKeyActor(principal.keyId), this.keyScope(principal), localIdOf(id, 'WriteKey', 'id'));
      this.writeKeyCache.forgetKey(revoked.id);
      return toWriteKey(revoked);
    });
  }

  // node(id:) loaders: only a key holding admin sees these entities, within what it administers.
  async loadWorkspaces(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<Workspace | null>> {
    if (!holdsScope(principal.scopes, 'admin')) return ids.map(() => null);
    const rows = await this.admin.workspacesByIds(ids.filter((id) => this.isOperator(principal) || id === principal.workspaceId));
    return ids.map((id) => rows.find((row) => row.id === id)).map((row) => (row ? toWorkspace(row) : null));
  }

  async loadApiKeys(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<ApiKey | null>> {
    if (!holdsScope(principal.scopes, 'admin')) return ids.map(() => null);
    const rows = await this.admin.apiKeysByIds(this.keyScope(principal), ids);
    return ids.map((id) => rows.find((row) => row.id === id)).map((row) => (row ? toApiKey(row) : null));
  }

  async loadWriteKeys(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<WriteKey | null>> {
    if (!holdsScope(principal.scopes, 'admin')) return ids.map(() => null);
    const rows = await this.admin.writeKeysByIds(this.keyScope(principal), ids);
    return ids.map((id) => rows.find((row) => row.id === id)).map((row) => (row ? toWriteKey(row) : null));
  }
}
