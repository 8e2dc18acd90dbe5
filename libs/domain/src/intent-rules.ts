/**
 * The built-in intent classifier: keywords and patterns per locale (English, Portuguese, Spanish;
 * every locale's rules are tried, the customer's own first, since people switch languages).
 */
export type RuleIntent = 'returns' | 'sales' | 'support' | 'human' | 'greeting' | 'thanks' | 'unknown';

export interface RuleClassification {
  intent: RuleIntent;
  confidence: number;
  entities: Record<string, string>;
}

type Rules = Record<Exclude<RuleIntent, 'unknown' | 'greeting' | 'thanks'>, RegExp[]>;

const RULES: Record<'en' | 'pt' | 'es', Rules & { greeting: RegExp; thanks: RegExp }> = {
  en: {
    human: [/\b(talk|speak|chat)\s+(to|with)\s+(a|an|some)?\s*(person|human|agent|someone|representative|real person)\b/, /\b(real|live)\s+(person|human|agent)\b/, /\b(representative|operator)\b/],
    returns: [/\breturn(s|ing|ed)?\b/, /\brefund(s|ed)?\b/, /\bexchange\b/, /\bsend (it|them) back\b/, /\b(too (small|big|large)|doesn'?t fit|wrong size)\b/],
    support: [/\bhelp\b/, /\b(problem|issue|broken|error|bug)\b/, /\bnot working\b|\bdoesn'?t work\b|\bcan'?t (log ?in|sign ?in|access)\b/, /\bpassword\b/, /\bwhere is my (order|package|parcel)\b/, /\b(track(ing)?|delivery|delayed|late)\b/],
    sales: [/\b(buy|purchase|order more)\b/, /\b(price|pricing|cost|how much)\b/, /\b(discount|coupon|promo(tion)?|deal|offer)\b/, /\b(in stock|available|availability)\b/, /\bquote\b/],
    greeting: /^(hi|hello|hey|good (morning|afternoon|evening))[\s!.,]*$/,
    thanks: /^(thanks|thank you|thx|great,? thanks|perfect,? thanks)\b/,
  },
  pt: {
    human: [/\bfalar com (um|uma|o|a)?\s*(atendente|pessoa|humano|agente)\b/, /\batendente\b/, /\bpessoa de verdade\b/],
    returns: [/\bdevolu(ç|c)(ã|a)o\b/, /\bdevolver\b/, /\breembolso\b/, /\btroca(r)?\b/],
    support: [/\bajuda\b/, /\bproblema\b/, /\bn(ã|a)o funciona\b/, /\bsenha\b/, /\bentrega\b/, /\bcad(ê|e) meu pedido\b/],
    sales: [/\bcomprar\b/, /\bpre(ç|c)o\b/, /\bdesconto\b/, /\bcupom\b/, /\bquanto custa\b/],
    greeting: /^(oi|ol(á|a)|bom dia|boa tarde|boa noite)[\s!.,]*$/,
    thanks: /^(obrigad(o|a)|valeu)\b/,
  },
  es: {
    human: [/\bhablar con (un|una)?\s*(persona|humano|agente)\b/, /\bagente\b/],
    returns: [/\bdevoluci(ó|o)n\b/, /\bdevolver\b/, /\breembolso\b/, /\bcambio\b/],
    support: [/\bayuda\b/, /\bproblema\b/, /\bno funciona\b/, /\bcontrase(ñ|n)a\b/, /\bentrega\b/],
    sales: [/\bcomprar\b/, /\bprecio\b/, /\bdescuento\b/, /\bcup(ó|o)n\b/, /\bcu(á|a)nto cuesta\b/],
    greeting: /^(hola|buenos d(í|i)as|buenas tardes|buenas noches)[\s!.,]*$/,
    thanks: /^(gracias|muchas gracias)\b/,
  },
};

/** Checked in this order when two intents match as often: a request for a person wins. */
const PRIORITY = ['human', 'returns', 'support', 'sales'] as const;

const ORDER_ID = /\b(?:order|pedido|orden)\s*(?:number|no\.?|n[º°o]\.?|#)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,})\b|#([0-9][A-Z0-9-]{2,})\b/i;
const EMAIL = /\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b/i;

function localeFamily(locale: string | undefined): 'en' | 'pt' | 'es' {
  const base = (locale ?? 'en').toLowerCase().slice(0, 2);
  return base === 'pt' || base === 'es' ? base : 'en';
}

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

export function classifyByRules(text: string, locale?: string): RuleClassification {
  const normalized = text.toLowerCase().replace(/\s+/g, ' ').trim();
  const entities = extractEntities(text);
  if (normalized === '') return { intent: 'unknown', confidence: 0, entities };
  const own = localeFamily(locale);
  const families = [own, ...(['en', 'pt', 'es'] as const).filter((family) => family !== own)];
  for (const family of families) {
    if (RULES[family].greeting.test(normalized)) return { intent: 'greeting', confidence: 0.9, entities };
  }
  const scores = new Map<RuleIntent, number>();
  for (const family of families) {
    const rules = RULES[family];
    for (const intent of PRIORITY) {
      const hits = rules[intent].filter((pattern) => pattern.test(normalized)).length;
      // The customer's own language counts a little more than a chance match in another.
      if (hits > 0) scores.set(intent, (scores.get(intent) ?? 0) + hits * (family === own ? 1 : 0.9));
    }
  }
  const thanks = families.some((family) => RULES[family].thanks.test(normalized));
  if (scores.size === 0) return thanks ? { intent: 'thanks', confidence: 0.9, entities } : { intent: 'unknown', confidence: 0, entities };
  let best: RuleIntent = 'unknown';
  let bestScore = 0;
  let total = 0;
  for (const intent of PRIORITY) {
    const score = scores.get(intent) ?? 0;
    total += score;
    if (score > bestScore) {
      best = intent;
      bestScore = score;
    }
  }
  // "Thanks, but I still need help with the refund" is about the refund.
  return { intent: best, confidence: Math.round((bestScore / total) * 100) / 100, entities };
}

/** The first configured escalation keyword or phrase the text contains (whole words, any case). */
export function escalationKeywordIn(text: string, keywords: readonly string[]): string | undefined {
  const normalized = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  return keywords.find((keyword) => {
    const phrase = keyword.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return phrase !== '' && normalized.includes(` ${phrase} `);
  });
}
