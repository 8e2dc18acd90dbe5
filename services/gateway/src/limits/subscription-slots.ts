import { GatewayErrorCode } from '../common/gateway-exception';
import { LimitExceededError } from './limit-exceeded-error';

/**
 * Concurrent subscriptions per API key (GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY), in this gateway process.
 * A slot belongs to one operation of one connection; releasing is idempotent, so every way a
 * subscription can end (complete, error, socket closed) may release it.
 */
export class SubscriptionSlots {
  private readonly openPerKey = new Map<string, number>();
  /** connection → operation id → API key id */
  private readonly held = new WeakMap<object, Map<string, string>>();

  constructor(readonly maxPerKey: number) {}

  /** Takes a slot for the operation, or throws RATE_LIMITED naming the limit. */
  acquire(connection: object, operationId: string, keyId: string): void {
    const open = this.openPerKey.get(keyId) ?? 0;
    if (open >= this.maxPerKey) {
      throw new LimitExceededError(
        GatewayErrorCode.RateLimited,
        `This API key already has ${open} subscriptions open, the limit (GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY) is ${this.maxPerKey}; end one first`,
        { limit: this.maxPerKey, setting: 'GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY' },
      );
    }
    let operations = this.held.get(connection);
    if (!operations) this.held.set(connection, (operations = new Map()));
    operations.set(operationId, keyId);
    this.openPerKey.set(keyId, open + 1);
  }

  release(connection: object, operationId: string): void {
    const operations = this.held.get(connection);
    const keyId = operations?.get(operationId);
    if (keyId === undefined) return;
    operations!.delete(operationId);
    const open = (this.openPerKey.get(keyId) ?? 1) - 1;
    if (open > 0) this.openPerKey.set(keyId, open);
    else this.openPerKey.delete(keyId);
  }

  releaseAll(connection: object): void {
    for (const operationId of [...(this.held.get(connection)?.keys() ?? [])]) this.release(connection, operationId);
    this.held.delete(connection);
  }

  /** Subscriptions the key has open now. */
  openFor(keyId: string): number {
    return this.openPerKey.get(keyId) ?? 0;
  }
}
