/** Facts and escalation keywords found in a customer's message (intents are classified by a trained model in activities/conversations). */

const ORDER_ID = /\b(?:order|pedido|orden)\s*(?:number|no\.?|n[º°o]\.?|#)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,})\b|#([0-9][A-Z0-9-]{2,})\b/i;
const EMAIL = /\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b/i;

/** Facts a message states: an order number (`#4417`, `order 4417`, `pedido 4417`), an email address. */
export function extractEntities(text: string): Record<string, string> {
  const entities: Record<string, string> = {};
  const order = ORDER_ID.exec(text);
  const orderId = order?.[1] ?? order?.[2];
  if (orderId && /\d/.test(orderId)) entities['orderId'] = orderId.toUpperCase();
  const email = EMAIL.exec(text);
  if (email) entities['email'] = email[0].toLowerCase();
  return entities;
}

/** The first configured escalation keyword or phrase the text contains (whole words, any case). */
export function escalationKeywordIn(text: string, keywords: readonly string[]): string | undefined {
  const normalized = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  return keywords.find((keyword) => {
    const phrase = keyword.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return phrase !== '' && normalized.includes(` ${phrase} `);
  });
}
