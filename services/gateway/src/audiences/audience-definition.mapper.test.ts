import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudienceDefinitionError, compileAudience } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';
import { fieldPath } from '../common/user-error';
import { fromGrammar, toGrammar, typedPath, withTypedDefinitionErrors } from './audience-definition.mapper';
import type { AudienceConditionInput } from './dto/audience-condition.input';

const NOW = new Date('2026-12-05T12:00:00Z');

/** What compileAudience makes of a definition: its SQL and parameters, or where and why it refuses it. */
function compiled(grammar: unknown): { sql: string; params: unknown[] } | { error: string; path: string } {
  const params: unknown[] = ['ws', NOW];
  try {
    return { sql: compileAudience(grammar, params, { workspace: 1, now: 2 }), params };
  } catch (error) {
    if (error instanceof AudienceDefinitionError) return { error: error.message, path: error.path };
    throw error;
  }
}

/** A typed definition as a client sends it (enum values by name) becomes what the gateway hands the resolver (the enums' stored values). */
function asParsed(variables: unknown): AudienceConditionInput {
  return JSON.parse(JSON.stringify(variables), function (this: Record<string, unknown>, key, value: unknown) {
    if ((key === 'channel' || key === 'status' || key === 'identity') && typeof value === 'string') return value.toLowerCase();
    return value;
  }) as AudienceConditionInput;
}

/** Whether `path` (a.b[1].c) names a field that exists in `value` (a trait's `name`, an operator given, …). */
function exists(value: unknown, path: string): boolean {
  let node = value;
  for (const segment of path.split(/[.[\]]+/).filter((part) => part !== '')) {
    if (node === null || typeof node !== 'object' || !(segment in node)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}

const name = fc.oneof(fc.constantFrom('plan', 'country', 'locale', 'address.city', 'score', 'vip'), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(fc.record({ string: fc.string({ maxLength: 8 }) }), fc.record({ number: fc.double({ noNaN: true, noDefaultInfinity: true }) }), fc.record({ boolean: fc.boolean() }));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
// One operator (or, sometimes, none or two: GraphQL cannot refuse those, the parser does).
const trait = fc
  .tuple(
    name,
    fc.subarray(['eq', 'neq', 'in', 'exists', 'gt', 'gte', 'lt', 'lte'] as const, { minLength: 0, maxLength: 2 }),
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  )
  .map(([traitName, operators, value, values, flag, bound]) => ({
    name: traitName,
    ...Object.fromEntries(operators.map((op) => [op, op === 'eq' || op === 'neq' ? value : op === 'in' ? values : op === 'exists' ? flag : bound])),
  }));
const event = fc.record(
  {
    name: fc.oneof(fc.constantFrom('Order Completed', 'Churned'), fc.string({ maxLength: 10 })),
    atLeast: optional(fc.integer({ min: -1, max: 5 })),
    atMost: optional(fc.integer({ min: -1, max: 5 })),
    within: optional(fc.constantFrom('90 days', '1 hour', 'a while', '0 days')),
  },
  { requiredKeys: ['name'] },
);
const consent = fc.record(
  {
    channel: fc.constantFrom('SMS', 'MMS', 'WHATSAPP', 'RCS', 'EMAIL', 'IN_APP'),
    purpose: optional(fc.constantFrom('marketing', 'alerts', 'Bad Purpose')),
    status: fc.constantFrom('SUBSCRIBED', 'UNSUBSCRIBED', 'UNKNOWN'),
  },
  { requiredKeys: ['channel', 'status'] },
);
const { condition } = fc.letrec<{ condition: Record<string, unknown> }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ trait }),
    fc.record({ event }),
    fc.record({ consent }),
    fc.record({ identity: fc.constantFrom('EMAIL', 'PHONE', 'WHATSAPP', 'USER_ID', 'ANONYMOUS_ID') }),
    fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
}));

describe('the typed audience definition', () => {
  it('evaluates exactly as its JSON form, and reads back as the same typed value', () => {
    let valid = 0;
    fc.assert(
      fc.property(condition, (variables) => {
        const grammar = toGrammar(asParsed(variables));
        const result = compiled(grammar);
        if ('error' in result) return;
        valid += 1;
        // What saveAudience stores reads back, through Audience.definition, as the value the client sent.
        const readBack = fromGrammar(JSON.parse(JSON.stringify(grammar)));
        expect(readBack).toEqual(JSON.parse(JSON.stringify(variables)));
        // ...which compiles to the same query with the same parameters: the same members.
        expect(compiled(toGrammar(asParsed(readBack)))).toEqual(result);
      }),
      { numRuns: 500 },
    );
    // Not vacuous: many of the generated definitions are valid ones.
    expect(valid).toBeGreaterThan(100);
  });

  it('refuses what the parser refuses, naming a field that is in the typed input', () => {
    fc.assert(
      fc.property(condition, (variables) => {
        const grammar = toGrammar(asParsed(variables));
        const result = compiled(grammar);
        if (!('error' in result)) return;
        const path = typedPath(result.path, grammar);
        expect(path.startsWith('definition')).toBe(true);
        expect(exists({ definition: variables }, path), `${result.path} → ${path} in ${JSON.stringify(variables)}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is the JSON grammar with a trait and an event under their key', () => {
    const typed = asParsed({
      all: [
        { trait: { name: 'country', eq: { string: 'BR' } } },
        { event: { name: 'Order Completed', atLeast: 2, within: '90 days' } },
        { not: { event: { name: 'Churned' } } },
        { consent: { channel: 'SMS', status: 'SUBSCRIBED' } },
        { identity: 'EMAIL' },
        { trait: { name: 'plan', in: [{ string: 'pro' }, { number: 2 }, { boolean: true }] } },
      ],
    });
    expect(toGrammar(typed)).toEqual({
      all: [
        { trait: 'country', eq: 'BR' },
        { event: 'Order Completed', atLeast: 2, within: '90 days' },
        { not: { event: 'Churned' } },
        { consent: { channel: 'sms', status: 'subscribed' } },
        { identity: 'email' },
        { trait: 'plan', in: ['pro', 2, true] },
      ],
    });
  });

  it('names the typed field at fault, from the mutation input', async () => {
    const typed = asParsed({ all: [{ trait: { name: 'country', eq: { string: 'BR' } } }, { event: { name: 'Order Completed', within: 'a while' } }] });
    const grammar = toGrammar(typed);
    const error = await withTypedDefinitionErrors(grammar, async () => compileAudience(grammar, ['ws', NOW], { workspace: 1, now: 2 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayException);
    expect(fieldPath((error as GatewayException).field)).toEqual(['input', 'definition', 'all', '1', 'event', 'within']);
    expect((error as GatewayException).message).toBe('definition.all[1].event.within: must be a duration such as "90 days"');
    expect(typedPath('definition.all[0].trait', { all: [{ trait: 'x y', eq: 1 }] })).toBe('definition.all[0].trait.name');
    expect(typedPath('definition.not', { not: { trait: 'plan' } })).toBe('definition.not.trait');
    expect(typedPath('definition.consent.channel', { consent: { channel: 'mms', status: 'subscribed' } })).toBe('definition.consent.channel');
  });
});
