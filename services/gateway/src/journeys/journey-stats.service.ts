import { Injectable } from '@nestjs/common';
import { JourneyStatsStore, type ApiKeyPrincipal } from '@continuum/data';
import { parseDuration } from '@continuum/domain';
import { GatewayException } from '../common/gateway-exception';
import { validateWindow } from '../common/relay-pagination';
import type { GoalInput } from './dto/goal.input';
import { JourneyCatalogueCache } from '../catalogue/journey-catalogue.cache';
import type { JourneyStats } from './models/journey-stats.model';
import type { ChannelName } from '../common/models/channel.model';

export interface JourneyStatsArgs {
  journeyId: string;
  from: Date | null;
  to: Date | null;
  version: number | null;
  goal: GoalInput | null;
}

/** Funnels per journey and version over a time range, for journey teams. */
@Injectable()
export class JourneyStatsService {
  constructor(
    private readonly store: JourneyStatsStore,
    private readonly catalogue: JourneyCatalogueCache,
  ) {}

  /** The funnel of one journey; null when the catalogue has no such journey. */
  async stats(principal: ApiKeyPrincipal, args: JourneyStatsArgs): Promise<JourneyStats | null> {
    validateWindow('from', args.from, 'to', args.to);
    if (args.version != null && args.version < 1) throw GatewayException.badInput('version', `must be 1 or more, got ${args.version}`);
    const goal = args.goal ? { event: this.goalEvent(args.goal.event), withinMs: this.window(args.goal.within) } : undefined;
    const descriptor = (await this.catalogue.descriptors()).find((candidate) => candidate.id === args.journeyId);
    if (!descriptor) return null;
    const stats = await this.store.stats({
      workspaceId: principal.workspaceId,
      journeyId: args.journeyId,
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      ...(args.version != null ? { version: args.version } : {}),
      ...(goal ? { goal } : {}),
    });
    return {
      ...stats,
      messages: stats.messages.map((row) => ({ ...row, channel: row.channel as ChannelName })),
      journeyId: args.journeyId,
      version: args.version,
      from: args.from,
      to: args.to,
      conversion: stats.conversion && args.goal ? { ...stats.conversion, within: args.goal.within } : null,
      ...(descriptor.goal ? { goalQuery: { workspaceId: principal.workspaceId, goal: descriptor.goal, from: args.from, to: args.to, version: args.version } } : {}),
    };
  }

  private goalEvent(event: string): string {
    if (event.trim() === '') throw GatewayException.badInput('goal.event', 'must name an event, e.g. "Order Completed"');
    return event;
  }

  private window(within: string): number {
    let ms: number;
    try {
      ms = parseDuration(within);
    } catch (error) {
      throw GatewayException.badInput('goal.within', (error as Error).message);
    }
    if (ms <= 0) throw GatewayException.badInput('goal.within', `must be longer than zero, got "${within}"`);
    return ms;
  }
}
