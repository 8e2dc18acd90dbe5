import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { apiKeyActor, RequestSigningSecretStore, TenantAdmin, type ApiKeyPrincipal, type RequestSigningSecret as StoredSecret } from '@continuum/data';
import { RequiresScope } from '../auth/requires-scope';
import { CurrentPrincipal } from '../auth/workspace-context';
import { recoverUserErrors } from '../common/user-error';
import { AdminService } from './admin.service';
import { RequestSigningSecret, RotateRequestSigningSecretInput, RotateRequestSigningSecretPayload } from './request-signing.models';

function toModel(stored: StoredSecret, now = new Date()): RequestSigningSecret {
  const previousLive = stored.previousExpiresAt !== null && stored.previousExpiresAt > now;
  return {
    secret: stored.secret,
    createdAt: stored.createdAt,
    rotatedAt: stored.rotatedAt,
    previousSecretExpiresAt: previousLive ? stored.previousExpiresAt : null,
    encryptedAtRest: stored.encryptedAtRest,
  };
}

/** The per-workspace secret that signs journeys' HTTP requests: read it, rotate it (admin scope). */
@Resolver()
export class RequestSigningResolver {
  constructor(
    private readonly admin: AdminService,
    private readonly secrets: RequestSigningSecretStore,
    private readonly tenants: TenantAdmin,
  ) {}

  @RequiresScope('admin')
  @Query(() => RequestSigningSecret, {
    description: "The secret that signs the HTTP requests of a workspace's journeys (made now if the workspace has none yet)",
  })
  async requestSigningSecret(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('workspaceId', { type: () => ID, nullable: true, description: "The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND)" })
    workspaceId: string | null,
  ): Promise<RequestSigningSecret> {
    const target = await this.admin.targetWorkspace(principal, workspaceId, 'workspaceId');
    return toModel(await this.secrets.secretFor(target));
  }

  @RequiresScope('admin')
  @Mutation(() => RotateRequestSigningSecretPayload, {
    description:
      'Replaces the request signing secret of a workspace by a new one; for 24 h requests carry signatures with both, so receivers can move to the new one. Audited. User errors: NOT_FOUND on ["input", "workspaceId"].',
  })
  rotateRequestSigningSecret(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The workspace' }) input: RotateRequestSigningSecretInput,
  ): Promise<RotateRequestSigningSecretPayload> {
    return recoverUserErrors<RotateRequestSigningSecretPayload>(
      async () => {
        const target = await this.admin.targetWorkspace(principal, input.workspaceId, 'workspaceId');
        const rotated = await this.secrets.rotate(target);
        await this.tenants.audit(apiKeyActor(principal.keyId), target, 'rotateRequestSigningSecret', target, {}, 'ok');
        return { requestSigningSecret: toModel(rotated), userErrors: [] };
      },
      (userErrors) => ({ requestSigningSecret: null, userErrors }),
    );
  }
}
