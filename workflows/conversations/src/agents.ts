import type { AgentAnswer, AgentTurn } from './define-agent';
import { defineAgent } from './define-agent';

const REFUND = /\b(refund|money back|reembolso)\b/i;
const WHEN = /\b(when|how long|quando|cu[aá]ndo)\b/i;

function forOrder(facts: Record<string, string>): string {
  return facts['orderId'] ? ` for order ${facts['orderId']}` : '';
}

/** The reason a customer gives, tidied; none when the message cannot be one (a question, a greeting, thanks); `unsure` for a single word. */
function reasonIn(message: AgentTurn['message']): { reason?: string; unsure?: boolean } {
  if (message.question || message.intent === 'greeting' || message.intent === 'thanks' || message.intent === 'human') return {};
  const reason = message.body.trim().replace(/\s+/g, ' ').slice(0, 200);
  // One word ("ok", "damaged", "hmm") may or may not be the reason: better to ask than to guess.
  const words = reason.split(' ').filter((word) => /\p{L}{2,}/u.test(word));
  return words.length >= 2 ? { reason } : { unsure: true };
}

const ASK_REASON = "What's the reason for the return (wrong size, damaged, changed your mind)?";

/**
 * Returns: learns the order and the reason (from any channel the customer already gave them on,
 * never asking twice), starts the return, then answers follow-ups about it. A question while it
 * waits for the reason is answered (from the knowledge base when it knows) and never taken as the
 * reason; a reply too short to tell gets a clarifying question.
 */
export function returnsAnswer(turn: AgentTurn): AgentAnswer {
  const { facts, message, stage } = turn;
  const known = message.question ? message.knowledge?.answer : undefined;
  if (message.intent === 'thanks') {
    return { reply: `You're welcome! Your return${forOrder(facts)} is all set. Just reply here if anything else comes up.`, resolved: true };
  }
  if (!facts['orderId']) {
    if (known) return { reply: `${known} To start your return I need the order number: it's in your confirmation email (e.g. #4417).`, stage: 'need-order', understood: true };
    // Asked already and still no order number: the customer is saying something else.
    return { reply: "I can help with your return. What's the order number? It's in your confirmation email (e.g. #4417).", stage: 'need-order', understood: stage !== 'need-order' };
  }
  if (!facts['reason']) {
    if (stage === 'need-reason') {
      if (message.question) {
        const answer = known ?? `Your return for order ${facts['orderId']} is not started yet: I only need the reason to start it.`;
        return { reply: `${answer} ${ASK_REASON}`, stage: 'need-reason', understood: true };
      }
      const { reason, unsure } = reasonIn(message);
      if (unsure) {
        return {
          reply: `Just to be sure I start the right return for order ${facts['orderId']}: could you tell me in a few words why you're returning it (e.g. "too small", "arrived damaged")?`,
          stage: 'need-reason',
          understood: true,
        };
      }
      if (reason) {
        return {
          reply: `Thanks. Your return for order ${facts['orderId']} is started (reason: ${reason}). We've sent a prepaid return label to your email; drop the parcel off within 14 days and your refund follows once it reaches us.`,
          facts: { reason, returnStatus: 'label-sent' },
          stage: 'label-sent',
        };
      }
    }
    if (known) return { reply: `${known} About order ${facts['orderId']}: ${ASK_REASON}`, stage: 'need-reason', understood: true };
    return { reply: `Got it, order ${facts['orderId']}. ${ASK_REASON}`, stage: 'need-reason' };
  }
  // What this customer's return knows answers a refund question better than the general answer.
  if (REFUND.test(message.body) || WHEN.test(message.body)) {
    return {
      reply: `Your refund for order ${facts['orderId']} (returned because: ${facts['reason']}) is issued within 5 business days of the parcel reaching our warehouse, to your original payment method.`,
      stage: 'label-sent',
    };
  }
  if (known) return { reply: `${known} (Your return for order ${facts['orderId']} is in progress.)`, stage: 'label-sent', understood: true };
  return {
    reply: `Your return for order ${facts['orderId']} (reason: ${facts['reason']}) is in progress: the prepaid label is in your email. Anything else I can help with?`,
    stage: 'label-sent',
  };
}

/** Sales: answers product questions from the knowledge base, finds out what the customer wants to buy and offers the current promotion. */
export function salesAnswer(turn: AgentTurn): AgentAnswer {
  const { message, facts, stage } = turn;
  if (message.intent === 'thanks') return { reply: 'Happy shopping! Reply here any time.', resolved: true };
  // A product question ("do you have these in size 42?") is answered, not met with "which product?".
  if (message.question && message.knowledge) {
    return { reply: `${message.knowledge.answer} Use code WELCOME10 for 10% off at checkout today.`, facts: { productQuestion: message.body.trim().replace(/\s+/g, ' ').slice(0, 120) }, stage: 'answered', understood: true };
  }
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
  if (message.question && message.knowledge) return { reply: message.knowledge.answer, understood: true };
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
  description: 'Automated sales agent: answers product questions, finds what the customer wants and offers the current promotion',
  respond: salesAnswer,
});

export const supportAgent = defineAgent({
  id: 'support-agent',
  intent: 'support',
  description: 'Automated support agent: greetings, deliveries, passwords; hands over to a person when it does not understand twice',
  respond: supportAnswer,
});
