import type { Type } from '@nestjs/common';
import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { knownGatewayError } from './gateway-error-mapping';
import { GatewayErrorCode, GatewayException } from './gateway-exception';

/**
 * What went wrong with a mutation's request, in terms the caller can fix: the codes of the domain
 * errors. Authentication, limits and outages are never user errors: they stay GraphQL errors.
 */
export enum UserErrorCode {
  INVALID = 'INVALID',
  NOT_FOUND = 'NOT_FOUND',
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  CONFLICT = 'CONFLICT',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation refused its input; the error names the offending input field',
  valuesMap: {
    INVALID: { description: 'A value is malformed or out of range (was the BAD_USER_INPUT GraphQL error)' },
    NOT_FOUND: { description: 'Something the input names does not exist in this workspace' },
    FAILED_PRECONDITION: { description: 'The target exists but is not in a state the action applies to, or the action failed on it' },
    CONFLICT: { description: 'The input conflicts with an earlier request (e.g. a reused id)' },
  },
});

/** The user error code of each domain error code; any other code (auth, limits, outages) stays a GraphQL error. */
const USER_ERROR_CODE: Partial<Record<GatewayErrorCode, UserErrorCode>> = {
  [GatewayErrorCode.BadUserInput]: UserErrorCode.INVALID,
  [GatewayErrorCode.NotFound]: UserErrorCode.NOT_FOUND,
  [GatewayErrorCode.FailedPrecondition]: UserErrorCode.FAILED_PRECONDITION,
  [GatewayErrorCode.Conflict]: UserErrorCode.CONFLICT,
};

@ObjectType({ description: 'A domain error of a mutation: nothing was changed by the part of the request it names' })
export class UserError {
  @Field(() => UserErrorCode, { description: 'What kind of error' })
  code!: UserErrorCode;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the offending input field from the mutation\'s arguments, e.g. ["input", "definition", "all", "1", "event", "within"]; null when no one field is at fault',
  })
  field!: string[] | null;

  @Field({ description: 'Human-readable explanation, in English' })
  message!: string;
}

/** `definition.all[1].within` under `input` → ["input", "definition", "all", "1", "within"]. */
export function fieldPath(field: string | undefined, root = 'input'): string[] | null {
  if (!field) return null;
  return [root, ...field.split(/[.[\]]+/).filter((part) => part !== '')];
}

/** The user error of a domain error (GatewayException or what the exception filter maps to one), else undefined. */
export function userErrorOf(error: unknown, root = 'input'): UserError | undefined {
  const known = knownGatewayError(error);
  const code = known && USER_ERROR_CODE[known.code];
  if (!known || !code) return undefined;
  return { code, field: fieldPath(known.field, root), message: known.message };
}

/** Runs `work`; a domain error it throws becomes `onUserError([that error])`, anything else is rethrown. */
export async function recoverUserErrors<P>(work: () => Promise<P>, onUserError: (userErrors: UserError[]) => P | Promise<P>): Promise<P> {
  try {
    return await work();
  } catch (error) {
    const userError = userErrorOf(error);
    if (!userError) throw error;
    return onUserError([userError]);
  }
}

/** Re-throws a domain error of `work` with its field under `prefix` (a validator's `messageId` inside an `event` object). */
export function underField<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof GatewayException) throw new GatewayException(error.code, error.message, error.field ? `${prefix}.${error.field}` : prefix);
    throw error;
  }
}

/** The shape of a `…Payload`: the entity under `K` (null when the mutation did not happen), and its user errors. */
export type Payload<K extends string, T> = { [P in K]: T | null } & { userErrors: UserError[] };

/** A payload from `work`: its result with no user errors, or null with the domain error it threw. */
export function payloadOf<K extends string, T>(field: K, work: () => Promise<T>): Promise<Payload<K, T>> {
  return recoverUserErrors(
    async () => ({ [field]: await work(), userErrors: [] }) as Payload<K, T>,
    (userErrors) => ({ [field]: null, userErrors }) as Payload<K, T>,
  );
}

/**
 * The base class of a `…Payload` object type: the entity as a nullable field named `field`, and
 * `userErrors: [UserError!]!`. Declare one per mutation:
 * `@ObjectType({ description }) export class SaveAudiencePayload extends PayloadType('audience', () => Audience, '…') {}`.
 */
export function PayloadType<K extends string, T>(field: K, type: () => Type<T>, description: string): abstract new () => Payload<K, T> {
  @ObjectType({ isAbstract: true })
  abstract class PayloadBase {
    @Field(() => [UserError], { description: 'Why the mutation did not happen; empty when it did' })
    userErrors!: UserError[];
  }
  Field(type, { nullable: true, description })(PayloadBase.prototype, field);
  return PayloadBase as unknown as abstract new () => Payload<K, T>;
}
