import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { GatewayErrorCode } from '../common/gateway-exception';
import { LimitExceededError } from './limit-exceeded-error';

const DEADLINE = Symbol('graphqlRequestDeadline');

interface Deadline {
  /** Aborts when the time is up; services may pass it on (fetch, queries) to stop work early. */
  signal: AbortSignal;
  /** Rejects with TIMEOUT when the time is up. */
  expired: Promise<never>;
  timeoutMs: number;
  timer: NodeJS.Timeout;
}

type WithDeadline = { [DEADLINE]?: Deadline };

function timeoutError(timeoutMs: number): LimitExceededError {
  return new LimitExceededError(
    GatewayErrorCode.Timeout,
    `The request ran longer than ${timeoutMs} ms (GRAPHQL_TIMEOUT_MS); fields not resolved by then were abandoned`,
    { timeoutMs, setting: 'GRAPHQL_TIMEOUT_MS' },
  );
}

/** Gives a request (its GraphQL context) a deadline `timeoutMs` from now. */
export function startDeadline(context: object, timeoutMs: number): void {
  const controller = new AbortController();
  const expired = new Promise<never>((_resolve, reject) =>
    controller.signal.addEventListener('abort', () => reject(timeoutError(timeoutMs)), { once: true }),
  );
  // Nobody may be racing it when it fires.
  expired.catch(() => undefined);
  const timer = setTimeout(() => controller.abort(), timeoutMs).unref();
  (context as WithDeadline)[DEADLINE] = { signal: controller.signal, expired, timeoutMs, timer };
}

/** The request is answered: its timer is not needed any more. */
export function endDeadline(context: object): void {
  const deadline = (context as WithDeadline)[DEADLINE];
  if (deadline) clearTimeout(deadline.timer);
}

/** The abort signal of the request's deadline, if it has one. */
export function deadlineSignal(context: object): AbortSignal | undefined {
  return (context as WithDeadline)[DEADLINE]?.signal;
}

/** Whether the request's deadline has passed. */
export function deadlinePassed(context: object): boolean {
  return (context as WithDeadline)[DEADLINE]?.signal.aborted ?? false;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Wraps every field resolver so that, in a request with a deadline, a resolver still pending when
 * the time is up ends with TIMEOUT (its result is dropped) and no resolver starts afterwards; the
 * response then goes out at once with what was resolved. Requests without a deadline
 * (graphql-ws subscriptions) are untouched.
 */
export function withRequestDeadlines(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: WithDeadline | undefined, info) => {
        const deadline = context?.[DEADLINE];
        if (!deadline) return resolve(source, args, context, info);
        if (deadline.signal.aborted) throw timeoutError(deadline.timeoutMs);
        const result = resolve(source, args, context, info);
        return isPromiseLike(result) ? Promise.race([result, deadline.expired]) : result;
      };
    }
  }
  return schema;
}
