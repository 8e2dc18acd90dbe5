import type { AgentAnswer, AgentTurn } from './define-agent';
import { defineAgent } from './define-agent';
import type { StockReport } from '@continuum/contracts';
import { agentLocale, sentencesFor } from './agent-sentences';

const REFUND = /\b(refund|money back|reembolso)\b/i;
// A question about where an order is, in en, pt-BR or es.
const DELIVERY = /track|where is|deliver|late|delayed|entrega|rastre|atrasad|cad[eê]|n[aã]o chegou|env[ií]o|seguimiento|retrasad|tarde|no ha llegado|d[oó]nde est[aá]/;
const WHEN = /\b(when|how long|quando|cu[aá]ndo)\b/i;

/** The reason a customer gives, tidied; none when the message cannot be one (a question, a greeting, thanks); `unsure` for a single word. */
function reasonIn(message: AgentTurn['message']): { reason?: string; unsure?: boolean } {
  if (message.question || message.intent === 'greeting' || message.intent === 'thanks' || message.intent === 'human') return {};
  const reason = message.body.trim().replace(/\s+/g, ' ').slice(0, 200);
  // One word ("ok", "damaged", "hmm") may or may not be the reason: better to ask than to guess.
  const words = reason.split(' ').filter((word) => /\p{L}{2,}/u.test(word));
  return words.length >= 2 ? { reason } : { unsure: true };
}

/**
 * Returns: learns the order and the reason (from any channel the customer already gave them on,
 * never asking twice), starts the return, then answers follow-ups about it. A question while it
 * waits for the reason is answered (from the knowledge base when it knows) and never taken as the
 * reason; a reply too short to tell gets a clarifying question.
 */
export function returnsAnswer(turn: AgentTurn): AgentAnswer {
  const { facts, message, stage } = turn;
  const say = sentencesFor(message.locale, message.voice?.address).returns;
  const known = message.question ? message.knowledge?.answer : undefined;
  const order = facts['orderId'];
  if (message.intent === 'thanks') return { reply: say.welcome(order ?? ''), resolved: true };
  if (!order) {
    if (known) return { reply: say.needOrderAfter(known), stage: 'need-order', understood: true, asks: 'orderId' };
    // Asked already and still no order number: the customer is saying something else.
    return { reply: say.askOrder, stage: 'need-order', understood: stage !== 'need-order', asks: 'orderId' };
  }
  if (!facts['reason']) {
    if (stage === 'need-reason') {
      if (message.question) return { reply: `${known ?? say.notStartedYet(order)} ${say.askReason}`, stage: 'need-reason', understood: true, asks: 'reason' };
      const { reason, unsure } = reasonIn(message);
      if (unsure) return { reply: say.clarifyReason(order), stage: 'need-reason', understood: true, asks: 'reason' };
      if (reason) return { reply: say.started(order, reason), facts: { reason, returnStatus: 'label-sent' }, stage: 'label-sent' };
    }
    if (known) return { reply: `${say.aboutOrder(known, order)} ${say.askReason}`, stage: 'need-reason', understood: true, asks: 'reason' };
    return { reply: `${say.gotOrder(order)} ${say.askReason}`, stage: 'need-reason', asks: 'reason' };
  }
  // What this customer's return knows answers a refund question better than the general answer.
  if (REFUND.test(message.body) || WHEN.test(message.body)) return { reply: say.refund(order, facts['reason']), stage: 'label-sent' };
  if (known) return { reply: say.inProgressAfter(known, order), stage: 'label-sent', understood: true };
  return { reply: say.inProgress(order, facts['reason']), stage: 'label-sent' };
}

/** Sizes listed for a customer: `40, 41 or 42` style, in the order the lookup gave them. */
function sizeList(sizes: string[], or: string): string {
  return sizes.length <= 1 ? (sizes[0] ?? '') : `${sizes.slice(0, -1).join(', ')} ${or} ${sizes.at(-1)}`;
}

const OR: Record<string, string> = { en: 'or', 'pt-BR': 'ou', es: 'o' };

/** What the stock lookup says of the first product the message names: in stock in the size asked, sold out, or its sizes. */
function stockAnswer(message: AgentTurn['message'], stock: StockReport): AgentAnswer | undefined {
  const first = stock.items[0];
  if (stock.error || !first) return undefined;
  const say = sentencesFor(message.locale, message.voice?.address).sales;
  const product = first.product;
  const sizes = stock.items.filter((item) => item.product === product && item.available > 0).map((item) => item.size);
  const or = OR[agentLocale(message.locale)] ?? 'or';
  const facts = { product, ...(stock.size ? { size: stock.size } : {}) };
  if (stock.size) {
    const asked = stock.items.find((item) => item.product === product && item.size === stock.size);
    if (asked && asked.available > 0) return { reply: `${say.inStock(product, asked.size, asked.available)} ${say.promotion}`, facts, stage: 'offered', understood: true };
    const reply = sizes.length > 0 ? say.soldOut(product, stock.size, sizeList(sizes, or)) : say.soldOutEverywhere(product);
    return { reply, facts, stage: 'offered', understood: true };
  }
  if (sizes.length === 0) return { reply: say.soldOutEverywhere(product), facts, stage: 'need-size', understood: true };
  return { reply: say.sizesInStock(product, sizeList(sizes, or)), facts, stage: 'need-size', understood: true, asks: 'size' };
}

/**
 * Sales: answers whether a product is in stock in the customer's size from the workspace's stock
 * lookup (when the worker has one), product questions from the knowledge base, finds out what the
 * customer wants to buy and offers the current promotion. It never claims stock it was not told of.
 */
export function salesAnswer(turn: AgentTurn): AgentAnswer {
  const { message, facts, stage } = turn;
  const say = sentencesFor(message.locale, message.voice?.address).sales;
  if (message.intent === 'thanks') return { reply: say.thanks, resolved: true };
  const fromStock = message.stock ? stockAnswer(message, message.stock) : undefined;
  if (fromStock) return fromStock;
  // A product question ("do you have these in size 42?") is answered, not met with "which product?".
  if (message.question && message.knowledge) {
    return { reply: `${message.knowledge.answer} ${say.promotion}`, facts: { productQuestion: message.body.trim().replace(/\s+/g, ' ').slice(0, 120) }, stage: 'answered', understood: true };
  }
  if (stage === 'need-product') {
    const product = message.body.trim().replace(/\s+/g, ' ').slice(0, 120);
    return { reply: say.chosen(product), facts: { product }, stage: 'offered' };
  }
  if (facts['product']) return { reply: say.remembered(facts['product']), stage: 'offered' };
  return { reply: say.askProduct, stage: 'need-product', asks: 'product' };
}

/** Support: greetings, orders and deliveries, passwords; anything it cannot tell says so (twice hands over to a person). */
export function supportAnswer(turn: AgentTurn): AgentAnswer {
  const { message, facts } = turn;
  const text = message.body.toLowerCase();
  const say = sentencesFor(message.locale, message.voice?.address).support;
  const order = facts['orderId'];
  if (message.intent === 'thanks') return { reply: say.thanks, resolved: true };
  if (message.intent === 'greeting') return { reply: say.greeting, understood: true };
  if (message.question && message.knowledge) return { reply: message.knowledge.answer, understood: true };
  if (/password|senha|contrase/.test(text)) return { reply: say.password, understood: true };
  if (DELIVERY.test(text)) {
    return order ? { reply: say.onItsWay(order), understood: true } : { reply: say.askOrderForDelivery, stage: 'need-order', understood: true, asks: 'orderId' };
  }
  if (message.intent === 'support' || (turn.stage === 'need-order' && order)) {
    return order ? { reply: say.lookedUp(order), understood: true } : { reply: say.tellMore, understood: true };
  }
  return { reply: say.notUnderstood, understood: false };
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
