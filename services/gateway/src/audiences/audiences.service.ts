import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { GatewayConfig } from '@continuum/config';
import { AudienceStore, WorkspaceStore, type ApiKeyPrincipal, type Audience as AudienceRow, type MembershipChange } from '@continuum/data';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { EventOutbox, type OutboxEntry } from '../events/event-outbox';
import { EventsService, type WorkspacePrincipal } from '../events/events.service';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import { fromGrammar, toGrammar, withTypedDefinitionErrors } from './audience-definition.mapper';
import type { AudienceConditionInput } from './dto/audience-condition.input';
import type { Audience, AudienceMember, AudiencePreview, AudienceRefresh } from './audience.models';

/** Events an audience change emits: a journey can start on `Audience Entered` (filtered by `properties.audience`) or exit on `Audience Exited`. */
export const AUDIENCE_ENTERED = 'Audience Entered';
export const AUDIENCE_EXITED = 'Audience Exited';

/**
 * Audiences: definitions, previews and membership. Membership changes when a customer's event has
 * been routed (their audiences are re-evaluated for them, at least once per event), and on a
 * refresh of everyone (every AUDIENCE_REFRESH_INTERVAL_MS, and through `refreshAudience`), which
 * is what moves customers across a time window. Each entry or exit is an event of that customer.
 */
@Injectable()
export class AudiencesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AudiencesService.name);
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly audiences: AudienceStore,
    private readonly workspaces: WorkspaceStore,
    private readonly events: EventsService,
    outbox: EventOutbox,
  ) {
    outbox.afterRouting((entry) => this.afterRouted(entry));
  }

  onApplicationBootstrap(): void {
    const interval = this.config.AUDIENCE_REFRESH_INTERVAL_MS;
    if (interval <= 0) return;
    this.timer = setInterval(() => {
      this.refreshing ??= this.refreshEveryone()
        .catch((error: unknown) => this.logger.warn(`audience refresh failed, retried at the next interval: ${String(error)}`))
        .finally(() => (this.refreshing = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
  }

  async save(principal: ApiKeyPrincipal, name: string, definition: AudienceConditionInput): Promise<Audience> {
    const grammar = toGrammar(definition);
    const audience = await withTypedDefinitionErrors(grammar, () => this.audiences.save(principal.workspaceId, name.trim(), grammar));
    // Members are computed at once, so the audience is usable (and its entries emitted) right away.
    await this.emit(principal, await this.audiences.evaluate(audience));
    return toAudience((await this.audiences.get(principal.workspaceId, audience.name))!);
  }

  /** Deletes the audience and returns its name; NOT_FOUND when there is none (like every other missing entity). */
  async remove(principal: ApiKeyPrincipal, name: string): Promise<string> {
    let removed: boolean;
    try {
      removed = await this.audiences.remove(principal.workspaceId, name);
    } catch (error) {
      // A broadcast names it (broadcasts.audience_id is ON DELETE RESTRICT): its history needs the audience.
      if (isForeignKeyViolation(error)) throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Audience "${name}" is the audience of a broadcast; it cannot be deleted`, 'name');
      throw error;
    }
    if (!removed) throw new GatewayException(GatewayErrorCode.NotFound, `No audience "${name}" in this workspace`, 'name');
    return name;
  }

  async preview(principal: ApiKeyPrincipal, definition: AudienceConditionInput, sample: number): Promise<AudiencePreview> {
    if (!Number.isInteger(sample) || sample < 0 || sample > 100) throw GatewayException.badInput('sample', 'must be 0 to 100');
    const grammar = toGrammar(definition);
    return withTypedDefinitionErrors(grammar, () => this.audiences.preview(principal.workspaceId, grammar, { sample }));
  }

  /** The workspace's audiences by name; the cursor holds the name. */
  async list(principal: ApiKeyPrincipal, args: PageArgs): Promise<ConnectionPage<Audience>> {
    const request = pageRequest(args, (cursor, argument) => decodePosition(cursor, ['name'] as const, undefined, argument).name);
    const rows = await this.audiences.page(principal.workspaceId, request);
    return pageOf(rows, request, (row) => ({ cursor: encodePosition({ name: row.name }), node: toAudience(row) }), () => this.audiences.count(principal.workspaceId));
  }

  async get(principal: ApiKeyPrincipal, name: string): Promise<Audience | null> {
    const audience = await this.audiences.get(principal.workspaceId, name);
    return audience ? toAudience(audience) : null;
  }

  /** The audiences of these row ids (node lookups), null for one not in the workspace. */
  async getByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<Audience | null>> {
    return (await this.audiences.getByIds(principal.workspaceId, ids)).map((row) => (row ? toAudience(row) : null));
  }

  /** Members now, by userId; the cursor holds the userId. */
  async members(audience: Audience, args: PageArgs): Promise<ConnectionPage<AudienceMember>> {
    const request = pageRequest(args, (cursor, argument) => decodePosition(cursor, ['userId'] as const, undefined, argument).userId);
    const rows = await this.audiences.members(audience.audienceId, request);
    return pageOf(
      rows,
      request,
      (row) => ({ cursor: encodePosition({ userId: row.customerId }), node: { audienceId: audience.audienceId, userId: row.customerId, enteredAt: row.enteredAt } }),
      () => this.audiences.size(audience.audienceId),
    );
  }

  /** The memberships of these (audience row id, userId) pairs (node lookups), null for one not a member now. */
  async membersByKeys(principal: ApiKeyPrincipal, keys: ReadonlyArray<{ audienceId: string; userId: string }>): Promise<Array<AudienceMember | null>> {
    const rows = await this.audiences.membersByKeys(principal.workspaceId, keys.map((key) => ({ audienceId: key.audienceId, customerId: key.userId })));
    return rows.map((row) => (row ? { audienceId: row.audienceId, userId: row.customerId, enteredAt: row.enteredAt } : null));
  }

  /** Members as of the last evaluation. */
  size(audience: Audience): Promise<number> {
    return this.audiences.size(audience.audienceId);
  }

  async refresh(principal: ApiKeyPrincipal, name: string): Promise<AudienceRefresh> {
    const audience = await this.audiences.get(principal.workspaceId, name);
    if (!audience) throw new GatewayException(GatewayErrorCode.NotFound, `No audience "${name}" in this workspace`, 'name');
    const changes = await this.audiences.evaluate(audience);
    await this.emit(principal, changes);
    return {
      audience: toAudience((await this.audiences.get(principal.workspaceId, name)) ?? audience),
      entered: changes.filter((change) => change.change === 'entered').length,
      exited: changes.filter((change) => change.change === 'exited').length,
      size: await this.audiences.size(audience.id),
    };
  }

  /** Re-evaluates every audience of every workspace (the periodic refresh). */
  async refreshEveryone(): Promise<void> {
    const slugs = new Map<string, string>();
    for (const audience of await this.audiences.listAll()) {
      let slug = slugs.get(audience.workspaceId);
      if (!slug) {
        slug = (await this.workspaces.getWorkspace(audience.workspaceId))?.slug ?? 'default';
        slugs.set(audience.workspaceId, slug);
      }
      await this.emit({ workspaceId: audience.workspaceId, workspaceSlug: slug }, await this.audiences.evaluate(audience));
    }
  }

  /** After a customer's event: their audiences, for them only. Audience events themselves change nothing. */
  private async afterRouted(entry: OutboxEntry): Promise<void> {
    const { event } = entry;
    if (event.event === AUDIENCE_ENTERED || event.event === AUDIENCE_EXITED) return;
    const audiences = await this.audiences.list(event.workspaceId);
    const changes: MembershipChange[] = [];
    for (const audience of audiences) changes.push(...(await this.audiences.evaluate(audience, { customerId: event.userId })));
    await this.emit({ workspaceId: event.workspaceId, workspaceSlug: entry.workspaceSlug }, changes);
  }

  private async emit(principal: WorkspacePrincipal, changes: MembershipChange[]): Promise<void> {
    if (changes.length === 0) return;
    const now = new Date();
    await this.events.acceptAll(
      principal,
      changes.map((change) => ({
        messageId: `audience:${change.audienceId}:${change.change}:${change.customerId}:${randomUUID()}`,
        userId: change.customerId,
        type: 'track' as const,
        name: change.change === 'entered' ? AUDIENCE_ENTERED : AUDIENCE_EXITED,
        properties: { audience: change.audience },
        timestamp: now,
        receivedAt: now,
      })),
      { source: 'audience' },
    );
  }
}

/** SQLSTATE 23503, from the driver's error or TypeORM's wrapper of it. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return code === '23503';
}

/** The GraphQL audience of a stored one (members and size are resolved only when asked for). */
export function toAudience(row: AudienceRow): Audience {
  return { audienceId: row.id, name: row.name, definition: fromGrammar(row.definition), refreshedAt: row.refreshedAt, updatedAt: row.updatedAt };
}
