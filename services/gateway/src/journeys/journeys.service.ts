import { Inject, Injectable } from '@nestjs/common';
import { journeyControlSignal, resolveSettings, validateSettings, type ExitRule } from '@continuum/contracts';
import { JourneyCatalogueStore, type ApiKeyPrincipal, type CatalogueEntry, type JourneyLifecycle } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { WorkflowNotFoundError } from '@temporalio/client';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { JourneyCatalogueCache } from '../catalogue/journey-catalogue.cache';
import { JourneyReentry, type Journey, type JourneyInstanceCounts, type JourneySettingType, type JourneyStatus } from './models/journey.model';
import { GoalSource } from './models/experiment-results.model';

/** The catalogue and each workspace's lifecycle of its journeys. */
@Injectable()
export class JourneysService {
  constructor(
    private readonly store: JourneyCatalogueStore,
    private readonly cache: JourneyCatalogueCache,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  async list(principal: ApiKeyPrincipal): Promise<Journey[]> {
    const entries = await this.store.list();
    return Promise.all(entries.map((entry) => this.toModel(principal, entry)));
  }

  async get(principal: ApiKeyPrincipal, journeyId: string): Promise<Journey | null> {
    const entry = (await this.store.list()).find((candidate) => candidate.descriptor.id === journeyId);
    return entry ? this.toModel(principal, entry) : null;
  }

  /** This workspace's instances of a journey, by status. */
  instanceCounts(principal: ApiKeyPrincipal, journeyId: string): Promise<JourneyInstanceCounts> {
    return this.store.instanceCounts(principal.workspaceId, journeyId);
  }

  /** Takes new entries again (from archived or paused). */
  async publish(principal: ApiKeyPrincipal, journeyId: string): Promise<Journey> {
    await this.require(journeyId);
    return this.transition(principal, journeyId, 'published', 'resume');
  }

  /** No new entries; running instances hold their sends until resumed. */
  async pause(principal: ApiKeyPrincipal, journeyId: string): Promise<Journey> {
    const current = await this.store.workspaceJourney(principal.workspaceId, (await this.require(journeyId)).descriptor.id);
    if (current.status === 'archived') throw this.badState(journeyId, 'archived', 'pause');
    return this.transition(principal, journeyId, 'paused', 'pause');
  }

  async resume(principal: ApiKeyPrincipal, journeyId: string): Promise<Journey> {
    const current = await this.store.workspaceJourney(principal.workspaceId, (await this.require(journeyId)).descriptor.id);
    if (current.status === 'archived') throw this.badState(journeyId, 'archived', 'resume (publish it instead)');
    return this.transition(principal, journeyId, 'published', 'resume');
  }

  /** No new entries; running instances exit with reason `archived`. */
  async archive(principal: ApiKeyPrincipal, journeyId: string): Promise<Journey> {
    await this.require(journeyId);
    return this.transition(principal, journeyId, 'archived', 'archive');
  }

  async updateSettings(principal: ApiKeyPrincipal, journeyId: string, settings: Record<string, unknown>): Promise<Journey> {
    const { descriptor } = await this.require(journeyId);
    const nonNull = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== null));
    const problems = validateSettings(descriptor.settings, nonNull);
    for (const name of Object.keys(settings)) if (!(name in descriptor.settings) && !problems.some((p) => p.startsWith(`${name}:`))) problems.push(`${name}: unknown setting`);
    if (problems.length > 0) throw new GatewayException(GatewayErrorCode.BadUserInput, `Invalid settings for ${journeyId}: ${problems.join('; ')}`, settingsField(problems));
    await this.store.updateSettings(principal.workspaceId, journeyId, settings);
    return (await this.get(principal, journeyId))!;
  }

  private async transition(principal: ApiKeyPrincipal, journeyId: string, status: JourneyLifecycle, action: 'pause' | 'resume' | 'archive'): Promise<Journey> {
    await this.store.setStatus(principal.workspaceId, journeyId, status);
    this.cache.invalidate(principal.workspaceId);
    for (const workflowId of await this.store.activeInstanceIds(principal.workspaceId, journeyId)) {
      try {
        await this.temporal.client.workflow.getHandle(workflowId).signal(journeyControlSignal, { action });
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return (await this.get(principal, journeyId))!;
  }

  private async require(journeyId: string): Promise<CatalogueEntry> {
    const entry = (await this.store.list()).find((candidate) => candidate.descriptor.id === journeyId);
    if (!entry) throw new GatewayException(GatewayErrorCode.NotFound, `No journey "${journeyId}" in the catalogue (is a worker running it?)`, 'id');
    return entry;
  }

  private badState(journeyId: string, status: string, action: string): GatewayException {
    return new GatewayException(GatewayErrorCode.FailedPrecondition, `Journey "${journeyId}" is ${status}; cannot ${action}`, 'id');
  }

  private async toModel(principal: ApiKeyPrincipal, entry: CatalogueEntry): Promise<Journey> {
    const { descriptor } = entry;
    const workspace = await this.store.workspaceJourney(principal.workspaceId, descriptor.id);
    const values = resolveSettings(descriptor.settings, workspace.settings);
    return {
      key: descriptor.id,
      version: descriptor.version,
      workflowType: descriptor.workflowType,
      description: descriptor.description,
      status: workspace.status as JourneyStatus,
      entry: { events: descriptor.entry.events, where: descriptor.entry.where ?? null },
      instanceKeyPath: descriptor.key ?? null,
      reentry: typeof descriptor.reentry === 'string' ? (descriptor.reentry as JourneyReentry) : JourneyReentry.AFTER,
      reentryAfter: typeof descriptor.reentry === 'string' ? null : descriptor.reentry.after,
      exitOn: descriptor.exitOn,
      exitRules: (descriptor.exitRules ?? descriptor.exitOn.map((event): ExitRule => ({ event }))).map((rule) => ({ event: rule.event, where: rule.where ?? null })),
      listensTo: descriptor.listensTo,
      maxLifetime: descriptor.maxLifetime,
      settings: Object.entries(descriptor.settings).map(([name, spec]) => ({
        name,
        type: spec.type as JourneySettingType,
        description: spec.description,
        default: { value: spec.default },
        value: { value: values[name] },
        overridden: name in workspace.settings,
      })),
      stepSpecs: descriptor.steps,
      goal: descriptor.goal ? { event: descriptor.goal.event, within: descriptor.goal.within, where: descriptor.goal.where ?? null, source: GoalSource.JOURNEY } : null,
      publishedAt: entry.publishedAt,
      publishedBy: entry.publishedBy,
    };
  }
}

/**
 * The input field at fault for settings problems (`<name>: <what is wrong>`): the one bad setting,
 * `settings.<name>`, or `settings` when several are (the message names them all).
 */
export function settingsField(problems: readonly string[]): string {
  if (problems.length !== 1) return 'settings';
  const name = problems[0]!.slice(0, Math.max(0, problems[0]!.indexOf(':')));
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `settings.${name}` : 'settings';
}
