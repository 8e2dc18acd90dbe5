/** Facts and escalation keywords found in a customer's message (intents are classified by a trained model in activities/conversations). */

const ORDER_ID = /\b(?:order|pedido|orden)\s*(?:number|no\.?|n[º°o]\.?|#)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,})\b|#([0-9][A-Z0-9-]{2,})\b/i;
/** A size after its word (size 42, tamanho 40, talla M, numeração 38), or a European shoe size (EU 42, 42 EU). */
const SIZE = /(?:\b(?:size|sz|tamanho|tam\.?|talla|n[úu]mero|numera[çc][ãa]o)(?:\s+|\s*[:.]\s*)(?:eu\s*)?(\d{2}(?:[.,]5)?|xxs|xs|s|m|l|xl|xxl|xxxl|p|g|gg)(?![\p{L}\p{N}]))|\beu\s*(\d{2}(?:[.,]5)?)\b|\b(\d{2}(?:[.,]5)?)\s*eu\b/iu;
const EMAIL = /\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b/i;

/** Facts a message states: an order number (`#4417`, `order 4417`, `pedido 4417`), an email address, a size (`size 42`, `talla M`: `42`, `M`). */
export function extractEntities(text: string): Record<string, string> {
  const entities: Record<string, string> = {};
  const order = ORDER_ID.exec(text);
  const orderId = order?.[1] ?? order?.[2];
  if (orderId && /\d/.test(orderId)) entities['orderId'] = orderId.toUpperCase();
  const email = EMAIL.exec(text);
  if (email) entities['email'] = email[0].toLowerCase();
  const size = SIZE.exec(text);
  const sized = size?.[1] ?? size?.[2] ?? size?.[3];
  if (sized) entities['size'] = sized.toUpperCase().replace(',', '.');
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
