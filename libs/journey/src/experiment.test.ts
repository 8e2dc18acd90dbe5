import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assign, assignmentRoll, experimentGoal, experimentProblem, goalProblem, stableHash } from './experiment';
import { literalStepIds } from './step-list';

const unitArb = fc.record({ workspaceId: fc.uuid(), journeyId: fc.string({ minLength: 1 }), step: fc.string({ minLength: 1 }), customerId: fc.string({ minLength: 1 }) });

describe('experiment assignment', () => {
  it('is a pure function of (workspace, journey, step, customer): the same arm on every entry', () => {
    fc.assert(
      fc.property(unitArb, fc.array(fc.record({ id: fc.string({ minLength: 1 }), weight: fc.integer({ min: 1, max: 100 }) }), { minLength: 1, maxLength: 5 }), (unit, variants) => {
        const unique = variants.filter((variant, index) => variants.findIndex((other) => other.id === variant.id) === index);
        const roll = assignmentRoll(unit);
        expect(roll).toBeGreaterThanOrEqual(0);
        expect(roll).toBeLessThan(1);
        expect(assignmentRoll({ ...unit })).toBe(roll);
        expect(assign({ variants: unique }, roll, 's').variant).toBe(assign({ variants: unique }, assignmentRoll({ ...unit }), 's').variant);
      }),
    );
  });

  it('gives each arm its weight\'s share of the customers (20,000 customers, within 2 points)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 0, max: 100 }), fc.boolean(), (weights, hold, withControl) => {
        const variants = weights.map((weight, index) => ({ id: `v${index}`, weight }));
        const control = withControl && hold > 0 ? { id: 'control', weight: hold / 10 } : undefined;
        const options = { variants, ...(control ? { control } : {}) };
        const total = weights.reduce((sum, weight) => sum + weight, 0) + (control?.weight ?? 0);
        const counts = new Map<string, number>();
        const customers = 20_000;
        for (let n = 0; n < customers; n++) {
          const { variant, control: isControl } = assign(options, assignmentRoll({ workspaceId: 'w', journeyId: 'j', step: `s-${weights.join('-')}`, customerId: `customer-${n}` }), 's');
          expect(isControl).toBe(variant === 'control');
          counts.set(variant, (counts.get(variant) ?? 0) + 1);
        }
        for (const arm of [...variants, ...(control ? [control] : [])]) expect(Math.abs((counts.get(arm.id) ?? 0) / customers - arm.weight / total)).toBeLessThan(0.02);
      }),
      { numRuns: 15 },
    );
  });

  it('differs between experiments: one customer\'s arms in two steps are independent', () => {
    let same = 0;
    const customers = 10_000;
    for (let n = 0; n < customers; n++) {
      const a = assignmentRoll({ workspaceId: 'w', journeyId: 'j', step: 'first', customerId: `c-${n}` }) < 0.5;
      const b = assignmentRoll({ workspaceId: 'w', journeyId: 'j', step: 'second', customerId: `c-${n}` }) < 0.5;
      if (a === b) same += 1;
    }
    expect(Math.abs(same / customers - 0.5)).toBeLessThan(0.03);
    expect(stableHash('a')).not.toBe(stableHash('b'));
  });

  it('refuses unusable options, naming the experiment', () => {
    expect(experimentProblem('t', { variants: [] })).toMatch(/^experiment t: needs at least one variant/);
    expect(experimentProblem('t', { variants: [{ id: 'a' }, { id: 'a' }] })).toContain('"a" is used twice');
    expect(experimentProblem('t', { variants: [{ id: 'a' }], control: { id: 'a', weight: 1 } })).toContain('"a" is used twice');
    expect(experimentProblem('t', { variants: [{ id: 'a', weight: -1 }] })).toContain('weight of "a"');
    expect(experimentProblem('t', { variants: [{ id: 'a', weight: 0 }], control: { id: 'c', weight: 1 } })).toContain('add up to more than 0');
    expect(experimentProblem('t', { variants: [{ id: 'a' }], within: 'a week' })).toContain('within');
    expect(experimentProblem('t', { variants: [{ id: 'a' }], goal: ' ' })).toContain('goal');
    expect(experimentProblem('t', { variants: [{ id: 'a' }, { id: 'b', weight: 3 }], control: { id: 'c', weight: 1 }, goal: 'Order Completed', within: '7 days' })).toBeUndefined();
    expect(experimentProblem('t', { variants: [{ id: 'a' }], autoWinner: { alpha: 1 } })).toContain('autoWinner.alpha');
    expect(experimentProblem('t', { variants: [{ id: 'a' }], autoWinner: { minPerArm: 0.5 } })).toContain('autoWinner.minPerArm');
    expect(experimentProblem('t', { variants: [{ id: 'a' }], autoWinner: true })).toBeUndefined();
    expect(goalProblem({ event: 'Order Completed', where: { 'traits.plan': 'pro' }, within: '7 days' })).toContain('traits.plan');
    expect(goalProblem({ event: 'Order Completed', within: '0 days' })).toContain('longer than zero');
  });

  it("takes the journey's goal for what the experiment leaves out", () => {
    const journeyGoal = { event: 'Order Completed', where: { 'properties.total': { gte: 20 } }, within: '7 days' };
    expect(experimentGoal({ variants: [{ id: 'a' }] }, journeyGoal)).toEqual(journeyGoal);
    expect(experimentGoal({ variants: [{ id: 'a' }], within: '3 days' }, journeyGoal)).toEqual({ ...journeyGoal, within: '3 days' });
    expect(experimentGoal({ variants: [{ id: 'a' }], goal: 'Signed Up' }, journeyGoal)).toEqual({ event: 'Signed Up', within: '7 days' });
    expect(experimentGoal({ variants: [{ id: 'a' }], goal: 'Signed Up' }, undefined)).toBeUndefined();
    expect(experimentGoal({ variants: [{ id: 'a' }], goal: 'Signed Up', within: 3_600_000 }, undefined)).toEqual({ event: 'Signed Up', within: '3600000ms' });
  });

  it('finds experiment step ids written in run', () => {
    expect(literalStepIds(`await journey.experiment('offer-test', { variants })`)).toEqual(['offer-test']);
  });
});
