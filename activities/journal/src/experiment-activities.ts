import type { ExperimentActivities, ExperimentWinner } from '@continuum/contracts';
import { experimentWinner, type ArmInput, type ExperimentStore } from '@continuum/data';
import { parseDuration } from '@continuum/domain';

/**
 * The winner rule of experiments: a winner declared before stays (its first `experiment.assigned`
 * entry with `rule: 'winner'`); otherwise the results are counted and the rule applied. "No winner
 * yet" is remembered for `recheckMs` per experiment, so a burst of entries counts once.
 */
export function createExperimentActivities(deps: { experiments: ExperimentStore; recheckMs?: number; now?: () => number }): ExperimentActivities {
  const recheckMs = deps.recheckMs ?? 60_000;
  const now = deps.now ?? Date.now;
  const noWinnerUntil = new Map<string, number>();
  return {
    async experimentWinner(input): Promise<ExperimentWinner | null> {
      const scope = { workspaceId: input.workspaceId, journeyId: input.journeyId, step: input.step };
      const declared = await deps.experiments.declaredWinner(scope);
      if (declared) return { variant: declared.variant, figures: declared.figures as ExperimentWinner['figures'] };
      const key = JSON.stringify([scope, input.goal, input.arms, input.alpha, input.minPerArm]);
      if ((noWinnerUntil.get(key) ?? 0) > now()) return null;
      const counts = await deps.experiments.arms({
        ...scope,
        goal: { event: input.goal.event, ...(input.goal.where ? { where: input.goal.where as never } : {}), withinMs: parseDuration(input.goal.within) },
      });
      const arms: ArmInput[] = input.arms.map((variant) => counts.find((arm) => arm.variant === variant) ?? { variant, control: variant === input.controlId, entered: 0, converted: 0 });
      const winner = experimentWinner(arms, { alpha: input.alpha, minPerArm: input.minPerArm });
      if (!winner) {
        noWinnerUntil.set(key, now() + recheckMs);
        return null;
      }
      return {
        variant: winner.variant,
        figures: { alpha: input.alpha, minPerArm: input.minPerArm, arms: arms.map(({ variant, control, entered, converted }) => ({ variant, control, entered, converted })), pValues: winner.pValues, decidedAt: new Date(now()).toISOString() },
      };
    },
  };
}
