import { AudienceDefinitionError } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';
import type { AudienceConditionInput, TraitValueInput } from './dto/audience-condition.input';

/**
 * The typed audience definition (`AudienceConditionInput`, a `@oneOf` tree) and the stored grammar
 * that `compileAudience` validates and compiles (`{ all: [...] }`, `{ trait, eq }`, `{ event, within }`,
 * …). The typed tree is the grammar with a trait's and an event's own fields under their key
 * (`{ trait: { name, eq: { string } } }` for `{ trait, eq }`): the one parser validates both, and its
 * error paths are translated back into the typed input.
 */

type Grammar = Record<string, unknown>;

const OPERATORS = ['eq', 'neq', 'in', 'exists', 'gt', 'gte', 'lt', 'lte'] as const;
const EVENT_OPTIONS = ['atLeast', 'atMost', 'within'] as const;

/** The stored grammar of a typed definition (what is saved and compiled). */
export function toGrammar(input: AudienceConditionInput): Grammar {
  const given = Object.entries(input).filter(([, value]) => value !== null && value !== undefined);
  // GraphQL's @oneOf guarantees one key; anything else is left for the parser to refuse.
  if (given.length !== 1) return Object.fromEntries(given);
  const [key, value] = given[0]! as [keyof AudienceConditionInput, never];
  switch (key) {
    case 'all':
    case 'any':
      return { [key]: (value as AudienceConditionInput[]).map(toGrammar) };
    case 'not':
      return { not: toGrammar(value) };
    case 'trait': {
      const trait = value as NonNullable<AudienceConditionInput['trait']>;
      const condition: Grammar = { trait: trait.name };
      for (const operator of OPERATORS) {
        const operand = trait[operator];
        if (operand === null || operand === undefined) continue;
        condition[operator] = operator === 'eq' || operator === 'neq' ? scalarOf(operand as TraitValueInput) : operator === 'in' ? (operand as TraitValueInput[]).map(scalarOf) : operand;
      }
      return condition;
    }
    case 'event': {
      const event = value as NonNullable<AudienceConditionInput['event']>;
      const condition: Grammar = { event: event.name };
      for (const option of EVENT_OPTIONS) if (event[option] !== null && event[option] !== undefined) condition[option] = event[option];
      return condition;
    }
    case 'consent': {
      const consent = value as NonNullable<AudienceConditionInput['consent']>;
      return { consent: { channel: consent.channel, ...(consent.purpose !== null && consent.purpose !== undefined ? { purpose: consent.purpose } : {}), status: consent.status } };
    }
    case 'identity':
      return { identity: value };
  }
}

function scalarOf(value: TraitValueInput): unknown {
  return value.string ?? value.number ?? value.boolean ?? undefined;
}

/**
 * A stored definition in the typed shape, as a client passes it back to saveAudience: the value of an
 * `AudienceConditionInput` variable, enum values by their GraphQL names (`SMS`, `SUBSCRIBED`, `EMAIL`).
 */
export function fromGrammar(definition: unknown): Grammar {
  const node = (definition ?? {}) as Grammar;
  if ('all' in node || 'any' in node) {
    const key = 'all' in node ? 'all' : 'any';
    return { [key]: ((node[key] as unknown[]) ?? []).map(fromGrammar) };
  }
  if ('not' in node) return { not: fromGrammar(node['not']) };
  if ('trait' in node) {
    const trait: Grammar = { name: node['trait'] };
    for (const operator of OPERATORS) {
      if (!(operator in node)) continue;
      const operand = node[operator];
      trait[operator] = operator === 'eq' || operator === 'neq' ? valueOf(operand) : operator === 'in' ? (operand as unknown[]).map(valueOf) : operand;
    }
    return { trait };
  }
  if ('event' in node) {
    const event: Grammar = { name: node['event'] };
    for (const option of EVENT_OPTIONS) if (option in node) event[option] = node[option];
    return { event };
  }
  if ('consent' in node) {
    const { channel, purpose, status } = node['consent'] as Grammar;
    return { consent: { channel: String(channel).toUpperCase(), ...(purpose !== undefined ? { purpose } : {}), status: String(status).toUpperCase() } };
  }
  if ('identity' in node) return { identity: String(node['identity']).toUpperCase() };
  return node;
}

function valueOf(scalar: unknown): Grammar {
  return typeof scalar === 'number' ? { number: scalar } : typeof scalar === 'boolean' ? { boolean: scalar } : { string: scalar };
}

/**
 * The path in the typed input of a grammar path the parser named (`definition.all[1].within` →
 * `definition.all[1].event.within`): a trait's and an event's fields sit under their key, and
 * their name under `name`.
 */
export function typedPath(grammarPath: string, grammar: unknown): string {
  const segments = grammarPath.split(/[.[\]]+/).filter((part) => part !== '');
  const [root, ...rest] = segments;
  let node = grammar as Grammar | undefined;
  let path = root ?? '';
  for (let index = 0; index < rest.length; index++) {
    const segment = rest[index]!;
    if (node && (segment === 'all' || segment === 'any') && /^\d+$/.test(rest[index + 1] ?? '')) {
      const position = Number(rest[index + 1]);
      path += `.${segment}[${position}]`;
      node = (node[segment] as Grammar[] | undefined)?.[position];
      index += 1;
      continue;
    }
    if (node && segment === 'not') {
      path += '.not';
      node = node['not'] as Grammar | undefined;
      continue;
    }
    const leaf = node && ('trait' in node ? 'trait' : 'event' in node ? 'event' : undefined);
    if (leaf) return `${path}.${leaf}.${segment === leaf ? 'name' : [segment, ...rest.slice(index + 1)].join('.')}`;
    return [path, segment, ...rest.slice(index + 1)].join('.');
  }
  // The condition itself is at fault (a trait with no operator or two): its typed field.
  const leaf = node && ('trait' in node ? 'trait' : 'event' in node ? 'event' : undefined);
  return leaf ? `${path}.${leaf}` : path;
}

/** Runs `work` (which parses `grammar`); a definition error becomes BAD_USER_INPUT on the typed input's path. */
export async function withTypedDefinitionErrors<T>(grammar: unknown, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AudienceDefinitionError)) throw error;
    const reason = error.message.slice(error.path.length + 2);
    // A bad name is not part of the definition.
    if (!error.path.startsWith('definition')) throw GatewayException.badInput(error.path, reason);
    throw GatewayException.badInput(typedPath(error.path, grammar), reason);
  }
}
