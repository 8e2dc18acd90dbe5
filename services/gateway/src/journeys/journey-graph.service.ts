import { Injectable } from '@nestjs/common';
import { JourneyStatsStore, type ApiKeyPrincipal } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';
import { validateWindow } from '../common/relay-pagination';
import type { Journey, JourneyStepKind, JourneyStepNode, StepCountsOf } from './models/journey.model';

export interface JourneyGraphArgs {
  from: Date | null;
  to: Date | null;
  version: number | null;
}

/** A journey as a graph a console can draw: steps with their counts, and labelled moves. */
@Injectable()
export class JourneyGraphService {
  constructor(private readonly stats: JourneyStatsStore) {}

  /** The steps of `journey` with their labelled moves; their counts are read (once) when one is resolved. */
  steps(principal: ApiKeyPrincipal, journey: Journey, args: JourneyGraphArgs): JourneyStepNode[] {
    validateWindow('from', args.from, 'to', args.to);
    if (args.version != null && args.version < 1) throw GatewayException.badInput('version', `must be 1 or more, got ${args.version}`);
    let counts: ReturnType<StepCountsOf> | undefined;
    // One query for every node's counts, run the first time a node's count is resolved.
    const countsOf: StepCountsOf = () =>
      (counts ??= this.stats
        .stepCounts({
          workspaceId: principal.workspaceId,
          journeyId: journey.key,
          ...(args.from ? { from: args.from } : {}),
          ...(args.to ? { to: args.to } : {}),
          ...(args.version != null ? { version: args.version } : {}),
        })
        .then((rows) => new Map(rows.map((row) => [row.step, { active: row.active, reached: row.reached }]))));
    return journey.stepSpecs.map((step) => ({
      step: step.id,
      kind: step.kind as JourneyStepKind,
      label: step.label,
      next: (step.next ?? []).map((to) => ({ from: step.id, to, label: step.nextLabels?.[to] ?? null })),
      counts: countsOf,
    }));
  }
}
