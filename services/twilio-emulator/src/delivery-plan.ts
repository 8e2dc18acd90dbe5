import { channelOf } from './addresses';
import type { CreateMessageInput } from './create-message-input';
import { isRcsCapable, type MessagingService } from './messaging-service';
import { deliveryOutcomeFor, type DeliveryOutcome } from './test-numbers';
import type { WhatsAppSessions } from './whatsapp-sessions';

/** How an accepted message will travel: the sender a messaging service picks, and how it ends. */
export interface DeliveryPlan {
  /** The `from` the message gets when it leaves the queue (null: keep what it has). */
  sender: string | null;
  outcome: DeliveryOutcome;
}

export interface DeliveryContext {
  messagingService: MessagingService;
  whatsAppSessions: WhatsAppSessions;
  now: number;
}

/**
 * Decides channel and fate at creation, as Twilio does after answering 201:
 * - WhatsApp free-form (no ContentSid) outside the customer's 24-hour window fails with 63016; templates always go.
 * - `rcs:+E164` recipients get RCS only: a handset that cannot take RCS fails with 63106.
 * - A plain `+E164` through the Messaging Service goes over RCS when the handset can take it, otherwise SMS.
 * The emulator's failure numbers (+1500555080x, +1500555090x) apply on every channel.
 */
export function planDelivery(input: CreateMessageInput, context: DeliveryContext): DeliveryPlan {
  const { messagingService, whatsAppSessions, now } = context;
  const byNumber = deliveryOutcomeFor(input.to);
  switch (channelOf(input.to)) {
    case 'whatsapp': {
      const sender = input.from!;
      if (input.contentSid === null && !whatsAppSessions.isOpen(input.to, sender, now)) {
        return { sender: null, outcome: outsideSessionWindow };
      }
      return { sender: null, outcome: byNumber };
    }
    case 'rcs': {
      const sender = input.from ?? messagingService.rcsSender;
      return { sender, outcome: isRcsCapable(input.to) ? byNumber : notRcsCapable };
    }
    case 'sms': {
      if (input.from !== null) return { sender: null, outcome: byNumber };
      const sender = isRcsCapable(input.to) ? messagingService.rcsSender : messagingService.smsSender;
      return { sender, outcome: byNumber };
    }
  }
}

const outsideSessionWindow: DeliveryOutcome = {
  final: 'failed',
  errorCode: 63016,
  errorMessage: 'Failed to send freeform message because you are outside the allowed window. Please use a Template.',
};

const notRcsCapable: DeliveryOutcome = {
  final: 'failed',
  errorCode: 63106,
  errorMessage: 'The handset associated with the phone number provided is not RCS capable',
};
