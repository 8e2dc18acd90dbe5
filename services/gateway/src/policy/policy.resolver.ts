import { type OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  apiKeyActor,
  MessagingPolicies,
  PolicyConflictError,
  PolicyValidationError,
  ProfileStore,
  TenantAdmin,
  type ApiKeyPrincipal,
} from '@continuum/data';
import { AdminService } from '../admin/admin.service';
import { RequiresScope } from '../auth/requires-scope';
import { CurrentPrincipal } from '../auth/workspace-context';
import { pageOf, pageRequest, type ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { validateUserId } from '../common/event-validation';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import { UserErrorCode, recoverUserErrors, type UserError } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import {
  EffectivePolicy,
  MessagingPolicy,
  MessagingPolicyVersion,
  MessagingPolicyVersionConnection,
  PolicyLayerName,
  PolicyRuleName,
  toPolicyModel,
  toVersionModel,
  UpdateMessagingPolicyInput,
  UpdateMessagingPolicyPayload,
} from './policy.models';

const LAYER: Record<string, PolicyLayerName> = {
  global: PolicyLayerName.GLOBAL,
  'global-country': PolicyLayerName.GLOBAL_COUNTRY,
  workspace: PolicyLayerName.WORKSPACE,
  'workspace-country': PolicyLayerName.WORKSPACE_COUNTRY,
};
const MAX_COMMENT = 500;
const MAX_DOCUMENT_BYTES = 64 * 1024;

const versionCursor = (cursor: string, argument: 'after' | 'before'): number =>
  Number(decodePosition(cursor, ['version'], (position) => /^[1-9]\d{0,9}$/.test(position.version), argument).version);

/** The governance policy of a workspace: read it and its versions, change it (admin scope), explain it for a customer. */
@Resolver(() => MessagingPolicy)
export class MessagingPolicyResolver implements OnModuleInit {
  constructor(
    private readonly admin: AdminService,
    private readonly policies: MessagingPolicies,
    private readonly profiles: ProfileStore,
    private readonly tenants: TenantAdmin,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: MessagingPolicyVersion,
      localId: (version) => `${version.workspaceId}:${version.version}`,
      load: async (principal, ids) => {
        const numbers = ids.map((id) => {
          const [workspaceId, version] = id.split(':');
          return workspaceId === principal.workspaceId && /^[1-9]\d{0,9}$/.test(version ?? '') ? Number(version) : 0;
        });
        const found = await this.policies.store.versionsByNumber(principal.workspaceId, numbers);
        return found.map((version) => (version ? toVersionModel(version) : null));
      },
    });
  }

  @RequiresScope('read')
  @Query(() => MessagingPolicy, { description: "A workspace's messaging policy in force (its layer of the governance policy, docs/messaging.md)" })
  async messagingPolicy(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('workspaceId', { type: () => ID, nullable: true, description: "The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND)" })
    workspaceId: string | null,
  ): Promise<MessagingPolicy> {
    const target = await this.admin.targetWorkspace(principal, workspaceId, 'workspaceId');
    return toPolicyModel(target, await this.policies.store.current(target));
  }

  @ResolveField(() => MessagingPolicyVersionConnection, { description: 'Every saved version, newest first' })
  async versions(@Parent() policy: MessagingPolicy, @Args() page: ConnectionArgs): Promise<ConnectionPage<MessagingPolicyVersion>> {
    const request = pageRequest<number>(page, versionCursor);
    const rows = await this.policies.store.versions(policy.workspaceId, {
      limit: request.limit + 1,
      ...(request.backward ? { newerThan: request.before ?? 0 } : { olderThan: request.after }),
    });
    return pageOf(
      rows,
      request,
      (row) => ({ cursor: encodePosition({ version: String(row.version) }), node: toVersionModel(row) }),
      () => this.policies.store.versionCount(policy.workspaceId),
    );
  }

  @RequiresScope('read')
  @Query(() => EffectivePolicy, {
    description:
      "The messaging policy as it applies to a customer now (their workspace's policy for their country over the deployment's), each rule with the layer that gave it. NOT_FOUND when there is no such profile",
  })
  async effectivePolicy(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: "The customer's userId" }) rawUserId: string,
  ): Promise<EffectivePolicy> {
    const userId = validateUserId(rawUserId);
    const profile = await this.profiles.get(principal.workspaceId, userId);
    if (!profile) throw new GatewayException(GatewayErrorCode.NotFound, `no profile has the userId "${userId}"`, 'userId');
    const trait = profile.traits?.['country'];
    const country = profile.country ?? (typeof trait === 'string' && /^[A-Za-z]{2}$/.test(trait) ? trait.toUpperCase() : null);
    const explained = await this.policies.explain(principal.workspaceId, country ?? undefined);
    return {
      userId,
      country,
      version: explained.version,
      rules: explained.rules.map((rule) => ({
        rule: rule.rule as PolicyRuleName,
        value: rule.value ?? null,
        source: LAYER[rule.source]!,
        country: rule.country ?? null,
      })),
    };
  }

  @RequiresScope('admin')
  @Mutation(() => UpdateMessagingPolicyPayload, {
    description:
      "Saves a new version of a workspace's messaging policy (the whole document), in force at once for every send and inbound message. Versioned and audited. User errors: INVALID on the document's path at fault, e.g. [\"input\", \"document\", \"countries\", \"BR\", \"quietHours\", \"start\"] (one per problem); CONFLICT on [\"input\", \"expectedVersion\"] or on a sender another workspace owns; NOT_FOUND on [\"input\", \"workspaceId\"].",
  })
  updateMessagingPolicy(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The workspace and its new policy document' }) input: UpdateMessagingPolicyInput,
  ): Promise<UpdateMessagingPolicyPayload> {
    const actor = apiKeyActor(principal.keyId);
    return recoverUserErrors<UpdateMessagingPolicyPayload>(
      async () => {
        const target = await this.admin.targetWorkspace(principal, input.workspaceId, 'workspaceId');
        const refused = (userErrors: UserError[]) => this.refuse(actor, target, userErrors);
        if (input.comment != null && [...input.comment].length > MAX_COMMENT) {
          return refused([{ code: UserErrorCode.INVALID, field: ['input', 'comment'], message: `must be at most ${MAX_COMMENT} characters` }]);
        }
        if (input.expectedVersion != null && (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0)) {
          return refused([{ code: UserErrorCode.INVALID, field: ['input', 'expectedVersion'], message: 'must be 0 or a version number' }]);
        }
        if (Buffer.byteLength(JSON.stringify(input.document)) > MAX_DOCUMENT_BYTES) {
          return refused([{ code: UserErrorCode.INVALID, field: ['input', 'document'], message: `must be at most ${MAX_DOCUMENT_BYTES / 1024} KiB of JSON` }]);
        }
        try {
          await this.policies.store.save(target, input.document, actor, {
            ...(input.expectedVersion != null ? { expectedVersion: input.expectedVersion } : {}),
            ...(input.comment != null ? { comment: input.comment } : {}),
          });
        } catch (error) {
          if (error instanceof PolicyValidationError) {
            return refused(
              error.issues.slice(0, 20).map((issue) => ({ code: UserErrorCode.INVALID, field: ['input', 'document', ...issue.path], message: issue.message })),
            );
          }
          if (error instanceof PolicyConflictError) {
            return refused([{ code: UserErrorCode.CONFLICT, field: ['input', ...error.field.split('.')], message: error.message }]);
          }
          throw error;
        }
        return { messagingPolicy: toPolicyModel(target, await this.policies.store.current(target)), userErrors: [] };
      },
      (userErrors) => ({ messagingPolicy: null, userErrors }),
    );
  }

  /** A refused update: audited with its reasons, answered with its user errors. */
  private async refuse(actor: ReturnType<typeof apiKeyActor>, workspaceId: string, userErrors: UserError[]): Promise<UpdateMessagingPolicyPayload> {
    const message = userErrors.map((error) => `${(error.field ?? []).join('.')}: ${error.message}`).join('; ');
    await this.tenants.audit(actor, workspaceId, 'updateMessagingPolicy', null, {}, 'error', message.slice(0, 2000));
    return { messagingPolicy: null, userErrors };
  }
}
