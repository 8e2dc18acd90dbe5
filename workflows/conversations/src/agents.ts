import type { AgentAnswer, AgentTurn } from './define-agent';
import { defineAgent } from './define-agent';

const REFUND = /\b(refund|money back|reembolso)\b/i;
const WHEN = /\b(when|how long|quando|cu[aá]ndo)\b/i;

function forOrder(facts: Record<string, string>): string {
  return facts['orderId'] ? ` for order ${facts['orderId']}` : '';
}

/**
 * Returns: learns the order and the reason (from any channel the customer already gave them on,
 * never asking twice), starts the return, then answers follow-ups about it.
 */
export function returnsAnswer(turn: AgentTurn): AgentAnswer {
  const { facts, message, stage } = turn;
  if (message.intent === 'thanks') {
    return { reply: `You're welcome! Your return${forOrder(facts)} is all set. Just reply here if anything else comes up.`, resolved: true };
  }
  if (!facts['orderId']) {
    // Asked already and still no order number: the customer is saying something else.
    return { reply: "I can help with your return. What's the order number? It's in your confirmation email (e.g. #4417).", stage: 'need-order', understood: stage !== 'need-order' };
  }
  if (!facts['reason']) {
    if (stage === 'need-reason') {
      const reason = message.body.trim().replace(/\s+/g, ' ').slice(0, 200);
      return {
        reply: `Thanks. Your return for order ${facts['orderId']} is started (reason: ${reason}). We've sent a prepaid return label to your email; drop the parcel off within 14 days and your refund follows once it reaches us.`,
        facts: { reason, returnStatus: 'label-sent' },
        stage: 'label-sent',
      };
    }
    return { reply: `Got it, order ${facts['orderId']}. What's the reason for the return (wrong size, damaged, changed your mind)?`, stage: 'need-reason' };
  }
  if (REFUND.test(message.body) || WHEN.test(message.body)) {
    return {
      reply: `Your refund for order ${facts['orderId']} (returned because: ${facts['reason']}) is issued within 5 business days of the parcel reaching our warehouse, to your original payment method.`,
      stage: 'label-sent',
    };
  }
  return {
    reply: `Your return for order ${facts['orderId']} (reason: ${facts['reason']}) is in progress: the prepaid label is in your email. Anything else I can help with?`,
    stage: 'label-sent',
  };
}

/** Sales: finds out what the customer wants to buy and offers the current promotion. */
export function salesAnswer(turn: AgentTurn): AgentAnswer {
  const { message, facts, stage } = turn;
  if (message.intent === 'thanks') return { reply: 'Happy shopping! Reply here any time.', resolved: true };
  if (stage === 'need-product') {
    const product = message.body.trim().replace(/\s+/g, ' ').slice(0, 120);
    return {
      reply: `Good choice: ${product} is in stock. Use code WELCOME10 for 10% off at checkout today.`,
      facts: { product },
      stage: 'offered',
    };
  }
  if (facts['product']) return { reply: `${facts['product']} is still in stock, and WELCOME10 still takes 10% off. Anything else?`, stage: 'offered' };
  return { reply: 'Happy to help you buy! Which product are you interested in?', stage: 'need-product' };
}

/** Support: greetings, orders and deliveries, passwords; anything it cannot tell says so (twice hands over to a person). */
export function supportAnswer(turn: AgentTurn): AgentAnswer {
  const { message, facts } = turn;
  const text = message.body.toLowerCase();
  if (message.intent === 'thanks') return { reply: "You're welcome! Glad I could help.", resolved: true };
  if (message.intent === 'greeting') return { reply: 'Hi! How can I help you today?', understood: true };
  if (/password|senha|contrase/.test(text)) {
    return { reply: 'You can reset your password from the sign-in page ("Forgot password"); the link is valid for 1 hour.', understood: true };
  }
  if (/track|where is|delivery|deliver|entrega|late|delayed/.test(text)) {
    return facts['orderId']
      ? { reply: `Order ${facts['orderId']} is on its way; you'll get tracking updates by text.`, understood: true }
      : { reply: "Let me check your delivery. What's the order number?", stage: 'need-order', understood: true };
  }
  if (message.intent === 'support' || (turn.stage === 'need-order' && facts['orderId'])) {
    return facts['orderId']
      ? { reply: `Thanks. I've looked up order ${facts['orderId']}: it's on its way, and I've noted your message for our team.`, understood: true }
      : { reply: "Sorry you're having trouble. Could you tell me a bit more, and the order number if it's about an order?", understood: true };
  }
  return {
    reply: "Sorry, I didn't catch that. I can help with returns, orders and deliveries, or put you through to a person: just say \"agent\".",
    understood: false,
  };
}

export const returnsAgent = defineAgent({
  id: 'returns-agent',
  intent: 'returns',
  description: 'Automated returns agent: collects the order and reason (never asking twice across channels), starts the return, answers refund questions',
  respond: returnsAnswer,
});

export const salesAgent = defineAgent({
  id: 'sales-agent',
  intent: 'sales',
  description: 'Automated sales agent: finds what the customer wants and offers the current promotion',
  respond: salesAnswer,
});

export const supportAgent = defineAgent({
  id: 'support-agent',
  intent: 'support',
  description: 'Automated support agent: greetings, deliveries, passwords; hands over to a person when it does not understand twice',
  respond: supportAnswer,
});
