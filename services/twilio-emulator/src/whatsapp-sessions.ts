/** WhatsApp's customer service window: free-form messages are allowed this long after the customer's last message. */
export const WHATSAPP_SESSION_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Remembers, per (customer `whatsapp:` address, our `whatsapp:` sender), when the customer last wrote to us
 * through the emulator's inbound injection, so free-form sends outside the window can fail like Twilio's (63016).
 */
export class WhatsAppSessions {
  private readonly lastInboundAt = new Map<string, number>();

  recordInbound(customer: string, sender: string, at: Date): void {
    const key = sessionKey(customer, sender);
    // The window counts from the latest message, whatever order the test injected them in.
    this.lastInboundAt.set(key, Math.max(this.lastInboundAt.get(key) ?? -Infinity, at.getTime()));
  }

  isOpen(customer: string, sender: string, now: number = Date.now()): boolean {
    const last = this.lastInboundAt.get(sessionKey(customer, sender));
    return last !== undefined && now - last < WHATSAPP_SESSION_WINDOW_MS;
  }

  clear(): void {
    this.lastInboundAt.clear();
  }
}

function sessionKey(customer: string, sender: string): string {
  return `${customer}\n${sender}`;
}
