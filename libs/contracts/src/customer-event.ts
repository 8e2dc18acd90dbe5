/** A customer event as accepted and persisted by the gateway, then delivered to journeys. */
export interface CustomerEvent {
  /** Unique per workspace; a repeated id is stored and routed once. */
  messageId: string;
  workspaceId: string;
  userId: string;
  type: 'track' | 'identify';
  /** Event name for `track` (e.g. `Cart Updated`). */
  event?: string;
  properties: Record<string, unknown>;
  traits?: Record<string, unknown>;
  /** ISO-8601 time the event happened. */
  timestamp: string;
  /** ISO-8601 time the gateway accepted it. */
  receivedAt: string;
}

export const CART_UPDATED = 'Cart Updated';
export const ORDER_COMPLETED = 'Order Completed';
