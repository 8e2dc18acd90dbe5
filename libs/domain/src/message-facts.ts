/** Facts and escalation keywords found in a customer's message (intents are classified by a trained model in activities/conversations). */

const ORDER_ID = /\b(?:order|pedido|orden)\s*(?:number|no\.?|n[º°o]\.?|#)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,})\b|#([0-9][A-Z0-9-]{2,})\b/i;
// The parts of a size phrase, shared by the size fact and by what a message says besides its size.
const SIZE_WORD = String.raw`(?:size|sz|tamanho|tam\.?|talla|n[úu]mero|numera[çc][ãa]o)`;
const SIZE_NUMBER = String.raw`\d{2}(?:[.,]5)?`;
const SIZE_LETTER = '(?:xxs|xs|s|m|l|xl|xxl|xxxl|p|g|gg)';
/** A size after its word (size 42, tamanho 40, talla M, numeração 38), or a European shoe size (EU 42, 42 EU). */
const SIZE = new RegExp(
  String.raw`(?:\b${SIZE_WORD}(?:\s+|\s*[:.]\s*)(?:eu\s*)?(${SIZE_NUMBER}|${SIZE_LETTER})(?![\p{L}\p{N}]))|\beu\s*(${SIZE_NUMBER})\b|\b(${SIZE_NUMBER})\s*eu\b`,
  'iu',
);
/** Every word of a size phrase: a size word, `eu`, a size number or letter. */
const SIZE_PARTS = new RegExp(String.raw`\b(?:${SIZE_WORD}|eu)\b|\b${SIZE_NUMBER}\b|\b${SIZE_LETTER}\b`, 'giu');
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

/** How many words a message says besides its size phrase ("ok, size 42 then" → 2: "ok", "then"). */
export function wordsBesideSize(text: string): number {
  return text
    .replace(SIZE_PARTS, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '').length;
}
