import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { installOwnerContext, owned, ownerOf, type PayloadOwner } from './payload-owner';

/**
 * The Node side of payload ownership (see payload-owner.ts): the ambient owner of a call, and the
 * converter's path for clients, workers and the workflow bundle.
 */
const storage = new AsyncLocalStorage<PayloadOwner>();
installOwnerContext(() => storage.getStore());

/** The payload converter module (`payloadConverterPath` of clients and workers, bundled into workflows). */
export const payloadConverterPath = join(__dirname, 'payload-owner.ts');

/** Runs `fn` with `owner` as the owner of every payload converted in it that names none itself (a memo, a query's argument). */
export function withPayloadOwner<T>(owner: PayloadOwner | undefined, fn: () => T): T {
  return owner ? storage.run(owner, fn) : fn();
}

/**
 * Marks an activity's result (and the payloads converted while it runs) with the owner its first
 * argument names, so that a profile read for a customer is encrypted under that customer's key.
 */
export class PayloadOwnerActivityInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const owner = ownerOf(input.args[0]);
    const result = await withPayloadOwner(owner, () => next(input));
    return owned(result, owner);
  }
}

/** For `interceptors.activity` of a worker. */
export const payloadOwnerActivityInterceptor = () => ({ inbound: new PayloadOwnerActivityInterceptor() });
