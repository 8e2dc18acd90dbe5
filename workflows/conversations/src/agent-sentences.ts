/**
 * What the automated agents and the handover say, per locale (en, pt-BR, es): the customer is
 * answered in the language their message is written in (or their profile's `locale`), never in
 * canned English. A locale without its own sentences (e.g. `fr`) gets English. Each locale has an
 * informal and a formal set, picked by the workspace's voice (policy rule `voice.address`):
 * pt-BR *você* / *o(a) senhor(a)*, es *tú* / *usted*; English reads the same in both.
 */
import type { MessageVoice } from '@continuum/contracts';

export const AGENT_LOCALES = ['en', 'pt-BR', 'es'] as const;
export type FormOfAddress = MessageVoice['address'];
export type AgentLocale = (typeof AGENT_LOCALES)[number];

export interface AgentSentences {
  returns: {
    welcome(order: string): string;
    askOrder: string;
    needOrderAfter(known: string): string;
    askReason: string;
    gotOrder(order: string): string;
    aboutOrder(known: string, order: string): string;
    notStartedYet(order: string): string;
    clarifyReason(order: string): string;
    started(order: string, reason: string): string;
    refund(order: string, reason: string): string;
    inProgressAfter(known: string, order: string): string;
    inProgress(order: string, reason: string): string;
  };
  sales: {
    thanks: string;
    promotion: string;
    chosen(product: string): string;
    remembered(product: string): string;
    askProduct: string;
    inStock(product: string, size: string, available: number): string;
    soldOut(product: string, size: string, otherSizes: string): string;
    soldOutEverywhere(product: string): string;
    sizesInStock(product: string, sizes: string): string;
  };
  support: {
    thanks: string;
    greeting: string;
    password: string;
    onItsWay(order: string): string;
    askOrderForDelivery: string;
    lookedUp(order: string): string;
    tellMore: string;
    notUnderstood: string;
  };
  handover: {
    'asked-for-person': string;
    'not-understood-twice': string;
    vip: string;
    /** A customer strongly upset twice in a topic (sentiment). */
    upset: string;
    other: string;
    noRepeat: string;
  };
}

const EN: AgentSentences = {
  returns: {
    welcome: (order) => `You're welcome! Your return${order ? ` for order ${order}` : ''} is all set. Just reply here if anything else comes up.`,
    askOrder: "I can help with your return. What's the order number? It's in your confirmation email (e.g. #4417).",
    needOrderAfter: (known) => `${known} To start your return I need the order number: it's in your confirmation email (e.g. #4417).`,
    askReason: "What's the reason for the return (wrong size, damaged, changed your mind)?",
    gotOrder: (order) => `Got it, order ${order}.`,
    aboutOrder: (known, order) => `${known} About order ${order}:`,
    notStartedYet: (order) => `Your return for order ${order} is not started yet: I only need the reason to start it.`,
    clarifyReason: (order) =>
      `Just to be sure I start the right return for order ${order}: could you tell me in a few words why you're returning it (e.g. "too small", "arrived damaged")?`,
    started: (order, reason) =>
      `Thanks. Your return for order ${order} is started (reason: ${reason}). We've sent a prepaid return label to your email; drop the parcel off within 14 days and your refund follows once it reaches us.`,
    refund: (order, reason) =>
      `Your refund for order ${order} (returned because: ${reason}) is issued within 5 business days of the parcel reaching our warehouse, to your original payment method.`,
    inProgressAfter: (known, order) => `${known} (Your return for order ${order} is in progress.)`,
    inProgress: (order, reason) => `Your return for order ${order} (reason: ${reason}) is in progress: the prepaid label is in your email. Anything else I can help with?`,
  },
  sales: {
    thanks: 'Happy shopping! Reply here any time.',
    promotion: 'Use code WELCOME10 for 10% off at checkout today.',
    chosen: (product) => `Good choice: ${product}. Use code WELCOME10 for 10% off at checkout today.`,
    remembered: (product) => `Still thinking about ${product}? WELCOME10 still takes 10% off. Anything else?`,
    askProduct: 'Happy to help you buy! Which product are you interested in?',
    inStock: (product, size, available) => `Yes: ${product} in size ${size} is in stock (${available} left).`,
    soldOut: (product, size, otherSizes) => `${product} in size ${size} is sold out right now; in stock: size ${otherSizes}.`,
    soldOutEverywhere: (product) => `${product} is sold out in every size right now.`,
    sizesInStock: (product, sizes) => `${product} is in stock in size ${sizes}. Which size would you like?`,
  },
  support: {
    thanks: "You're welcome! Glad I could help.",
    greeting: 'Hi! How can I help you today?',
    password: 'You can reset your password from the sign-in page ("Forgot password"); the link is valid for 1 hour.',
    onItsWay: (order) => `Order ${order} is on its way; you'll get tracking updates by text.`,
    askOrderForDelivery: "Let me check your delivery. What's the order number?",
    lookedUp: (order) => `Thanks. I've looked up order ${order}: it's on its way, and I've noted your message for our team.`,
    tellMore: "Sorry you're having trouble. Could you tell me a bit more, and the order number if it's about an order?",
    notUnderstood: 'Sorry, I didn\'t catch that. I can help with returns, orders and deliveries, or put you through to a person: just say "agent".',
  },
  handover: {
    'asked-for-person': "Of course. I'm passing you to a member of our team now.",
    'not-understood-twice': "Sorry I couldn't help. I'm passing you to a member of our team.",
    vip: 'Thanks for getting in touch. A member of our team will take care of this personally.',
    upset: "I'm sorry this has been so frustrating. I'm passing you to a member of our team right away.",
    other: "I'm passing you to a member of our team.",
    noRepeat: "They can see our whole conversation, so you won't need to repeat anything.",
  },
};

// Brazilian Portuguese: "você", the everyday form of address in Brazil.
const PT_BR: AgentSentences = {
  returns: {
    welcome: (order) => `Por nada! Sua devolução${order ? ` do pedido ${order}` : ''} está encaminhada. É só responder aqui se precisar de mais alguma coisa.`,
    askOrder: 'Posso ajudar com a sua devolução. Qual é o número do pedido? Ele está no e-mail de confirmação (ex.: #4417).',
    needOrderAfter: (known) => `${known} Para iniciar a devolução preciso do número do pedido: ele está no e-mail de confirmação (ex.: #4417).`,
    askReason: 'Qual é o motivo da devolução (tamanho errado, produto danificado, desistência)?',
    gotOrder: (order) => `Certo, pedido ${order}.`,
    aboutOrder: (known, order) => `${known} Sobre o pedido ${order}:`,
    notStartedYet: (order) => `A devolução do pedido ${order} ainda não foi iniciada: só preciso do motivo para iniciá-la.`,
    clarifyReason: (order) =>
      `Só para ter certeza de que vou iniciar a devolução certa do pedido ${order}: você pode me dizer em poucas palavras por que está devolvendo (ex.: "ficou pequeno", "chegou danificado")?`,
    started: (order, reason) =>
      `Obrigado. A devolução do pedido ${order} foi iniciada (motivo: ${reason}). Enviamos uma etiqueta de devolução pré-paga para o seu e-mail; entregue o pacote em até 14 dias e o reembolso sai assim que ele chegar até nós.`,
    refund: (order, reason) =>
      `O reembolso do pedido ${order} (devolvido por: ${reason}) é feito em até 5 dias úteis depois que o pacote chega ao nosso depósito, na forma de pagamento original.`,
    inProgressAfter: (known, order) => `${known} (A devolução do pedido ${order} está em andamento.)`,
    inProgress: (order, reason) => `A devolução do pedido ${order} (motivo: ${reason}) está em andamento: a etiqueta pré-paga está no seu e-mail. Posso ajudar em mais alguma coisa?`,
  },
  sales: {
    thanks: 'Boas compras! Responda aqui quando quiser.',
    promotion: 'Use o cupom WELCOME10 para ter 10% de desconto hoje.',
    chosen: (product) => `Ótima escolha: ${product}. Use o cupom WELCOME10 para ter 10% de desconto hoje.`,
    remembered: (product) => `Ainda pensando em ${product}? O cupom WELCOME10 ainda dá 10% de desconto. Mais alguma coisa?`,
    askProduct: 'Posso ajudar na sua compra! Qual produto te interessa?',
    inStock: (product, size, available) => `Sim: ${product} no tamanho ${size} está disponível (${available} em estoque).`,
    soldOut: (product, size, otherSizes) => `${product} no tamanho ${size} está esgotado no momento; disponível: tamanho ${otherSizes}.`,
    soldOutEverywhere: (product) => `${product} está esgotado em todos os tamanhos no momento.`,
    sizesInStock: (product, sizes) => `${product} está disponível no tamanho ${sizes}. Qual tamanho você quer?`,
  },
  support: {
    thanks: 'Por nada! Fico feliz em ajudar.',
    greeting: 'Oi! Como posso ajudar você hoje?',
    password: 'Você pode redefinir sua senha na página de login ("Esqueci minha senha"); o link vale por 1 hora.',
    onItsWay: (order) => `O pedido ${order} está a caminho; você vai receber as atualizações de rastreio por mensagem.`,
    askOrderForDelivery: 'Vou verificar a sua entrega. Qual é o número do pedido?',
    lookedUp: (order) => `Obrigado. Consultei o pedido ${order}: ele está a caminho, e anotei a sua mensagem para a nossa equipe.`,
    tellMore: 'Sinto muito pelo problema. Pode me contar um pouco mais, e o número do pedido se for sobre um pedido?',
    notUnderstood: 'Desculpe, não entendi. Posso ajudar com devoluções, pedidos e entregas, ou passar você para uma pessoa: é só dizer "atendente".',
  },
  handover: {
    'asked-for-person': 'Claro. Vou passar você agora para alguém da nossa equipe.',
    'not-understood-twice': 'Desculpe não ter conseguido ajudar. Vou passar você para alguém da nossa equipe.',
    vip: 'Obrigado pelo contato. Alguém da nossa equipe vai cuidar disso pessoalmente.',
    upset: 'Sinto muito pelo transtorno. Vou passar você agora mesmo para alguém da nossa equipe.',
    other: 'Vou passar você para alguém da nossa equipe.',
    noRepeat: 'A pessoa vê toda a nossa conversa, então você não vai precisar repetir nada.',
  },
};

// Spanish: "tú", as most retail brands write to their customers.
const ES: AgentSentences = {
  returns: {
    welcome: (order) => `¡De nada! Tu devolución${order ? ` del pedido ${order}` : ''} está en marcha. Responde aquí si necesitas algo más.`,
    askOrder: 'Puedo ayudarte con tu devolución. ¿Cuál es el número de pedido? Está en tu correo de confirmación (p. ej. #4417).',
    needOrderAfter: (known) => `${known} Para iniciar tu devolución necesito el número de pedido: está en tu correo de confirmación (p. ej. #4417).`,
    askReason: '¿Cuál es el motivo de la devolución (talla equivocada, producto dañado, cambio de opinión)?',
    gotOrder: (order) => `Entendido, pedido ${order}.`,
    aboutOrder: (known, order) => `${known} Sobre el pedido ${order}:`,
    notStartedYet: (order) => `La devolución del pedido ${order} aún no está iniciada: solo necesito el motivo para iniciarla.`,
    clarifyReason: (order) =>
      `Solo para asegurarme de iniciar la devolución correcta del pedido ${order}: ¿me dices en pocas palabras por qué lo devuelves (p. ej. "me queda pequeño", "llegó dañado")?`,
    started: (order, reason) =>
      `Gracias. La devolución del pedido ${order} está iniciada (motivo: ${reason}). Te hemos enviado una etiqueta de devolución prepagada a tu correo; entrega el paquete en un plazo de 14 días y el reembolso llega en cuanto lo recibamos.`,
    refund: (order, reason) =>
      `El reembolso del pedido ${order} (devuelto por: ${reason}) se emite en un plazo de 5 días hábiles desde que el paquete llega a nuestro almacén, con tu método de pago original.`,
    inProgressAfter: (known, order) => `${known} (La devolución del pedido ${order} está en curso.)`,
    inProgress: (order, reason) => `La devolución del pedido ${order} (motivo: ${reason}) está en curso: la etiqueta prepagada está en tu correo. ¿Te ayudo con algo más?`,
  },
  sales: {
    thanks: '¡Felices compras! Escríbenos aquí cuando quieras.',
    promotion: 'Usa el código WELCOME10 para un 10% de descuento hoy.',
    chosen: (product) => `Buena elección: ${product}. Usa el código WELCOME10 para un 10% de descuento hoy.`,
    remembered: (product) => `¿Sigues pensando en ${product}? WELCOME10 aún te da un 10% de descuento. ¿Algo más?`,
    askProduct: '¡Encantados de ayudarte con tu compra! ¿Qué producto te interesa?',
    inStock: (product, size, available) => `Sí: ${product} en talla ${size} está disponible (quedan ${available}).`,
    soldOut: (product, size, otherSizes) => `${product} en talla ${size} está agotado ahora mismo; disponible: talla ${otherSizes}.`,
    soldOutEverywhere: (product) => `${product} está agotado en todas las tallas ahora mismo.`,
    sizesInStock: (product, sizes) => `${product} está disponible en talla ${sizes}. ¿Qué talla quieres?`,
  },
  support: {
    thanks: '¡De nada! Me alegra haberte ayudado.',
    greeting: '¡Hola! ¿En qué puedo ayudarte hoy?',
    password: 'Puedes restablecer tu contraseña desde la página de inicio de sesión ("¿Olvidaste tu contraseña?"); el enlace es válido durante 1 hora.',
    onItsWay: (order) => `El pedido ${order} está en camino; recibirás las actualizaciones de seguimiento por mensaje.`,
    askOrderForDelivery: 'Voy a revisar tu entrega. ¿Cuál es el número de pedido?',
    lookedUp: (order) => `Gracias. He consultado el pedido ${order}: está en camino, y he anotado tu mensaje para nuestro equipo.`,
    tellMore: 'Siento que tengas problemas. ¿Me cuentas un poco más, y el número de pedido si es sobre un pedido?',
    notUnderstood: 'Perdona, no lo he entendido. Puedo ayudarte con devoluciones, pedidos y entregas, o pasarte con una persona: solo di "agente".',
  },
  handover: {
    'asked-for-person': 'Por supuesto. Te paso ahora con una persona de nuestro equipo.',
    'not-understood-twice': 'Siento no haber podido ayudarte. Te paso con una persona de nuestro equipo.',
    vip: 'Gracias por escribirnos. Una persona de nuestro equipo se encargará de esto personalmente.',
    upset: 'Siento mucho las molestias. Te paso ahora mismo con una persona de nuestro equipo.',
    other: 'Te paso con una persona de nuestro equipo.',
    noRepeat: 'Puede ver toda nuestra conversación, así que no tendrás que repetir nada.',
  },
};

type SentenceOverrides = { [Section in keyof AgentSentences]?: Partial<AgentSentences[Section]> };

/** A formal set: the informal one with the sentences that address the customer rewritten. */
function formalOf(informal: AgentSentences, overrides: SentenceOverrides): AgentSentences {
  return {
    returns: { ...informal.returns, ...overrides.returns },
    sales: { ...informal.sales, ...overrides.sales },
    support: { ...informal.support, ...overrides.support },
    handover: { ...informal.handover, ...overrides.handover },
  };
}

// Brazilian Portuguese, formal: "o(a) senhor(a)", as banks and airlines write (the customer's gender is not known).
const PT_BR_FORMAL = formalOf(PT_BR, {
  returns: {
    welcome: (order) => `Não há de quê! A devolução${order ? ` do pedido ${order}` : ''} está encaminhada. Caso precise de mais alguma coisa, basta responder aqui.`,
    clarifyReason: (order) =>
      `Para ter certeza de que vou iniciar a devolução correta do pedido ${order}: o(a) senhor(a) poderia informar em poucas palavras o motivo da devolução (ex.: "ficou pequeno", "chegou danificado")?`,
    inProgress: (order, reason) =>
      `A devolução do pedido ${order} (motivo: ${reason}) está em andamento: a etiqueta pré-paga está no seu e-mail. Posso ajudar o(a) senhor(a) em mais alguma coisa?`,
  },
  sales: {
    thanks: 'Boas compras! Estamos à disposição por aqui.',
    askProduct: 'Será um prazer ajudar na sua compra! Qual produto interessa ao(à) senhor(a)?',
    sizesInStock: (product, sizes) => `${product} está disponível no tamanho ${sizes}. Qual tamanho o(a) senhor(a) deseja?`,
  },
  support: {
    thanks: 'Não há de quê! Fico feliz em ajudar.',
    greeting: 'Olá! Como posso ajudar o(a) senhor(a) hoje?',
    password: 'O(A) senhor(a) pode redefinir sua senha na página de login ("Esqueci minha senha"); o link vale por 1 hora.',
    onItsWay: (order) => `O pedido ${order} está a caminho; o(a) senhor(a) receberá as atualizações de rastreio por mensagem.`,
    tellMore: 'Lamentamos o problema. O(A) senhor(a) poderia contar um pouco mais, e informar o número do pedido se for sobre um pedido?',
    notUnderstood: 'Desculpe, não entendi. Posso ajudar com devoluções, pedidos e entregas, ou transferir o(a) senhor(a) para um atendente: basta escrever "atendente".',
  },
  handover: {
    'asked-for-person': 'Claro. Vou transferir o(a) senhor(a) agora para alguém da nossa equipe.',
    'not-understood-twice': 'Desculpe não ter conseguido ajudar. Vou transferir o(a) senhor(a) para alguém da nossa equipe.',
    upset: 'Sinto muito pelo transtorno. Vou transferir o(a) senhor(a) agora mesmo para alguém da nossa equipe.',
    other: 'Vou transferir o(a) senhor(a) para alguém da nossa equipe.',
    noRepeat: 'A pessoa vê toda a nossa conversa, então o(a) senhor(a) não precisará repetir nada.',
  },
});

// Spanish, formal: "usted".
const ES_FORMAL = formalOf(ES, {
  returns: {
    welcome: (order) => `¡De nada! Su devolución${order ? ` del pedido ${order}` : ''} está en marcha. Responda aquí si necesita algo más.`,
    askOrder: 'Puedo ayudarle con su devolución. ¿Cuál es el número de pedido? Está en su correo de confirmación (p. ej. #4417).',
    needOrderAfter: (known) => `${known} Para iniciar su devolución necesito el número de pedido: está en su correo de confirmación (p. ej. #4417).`,
    clarifyReason: (order) =>
      `Solo para asegurarme de iniciar la devolución correcta del pedido ${order}: ¿me indica en pocas palabras por qué lo devuelve (p. ej. "me queda pequeño", "llegó dañado")?`,
    started: (order, reason) =>
      `Gracias. La devolución del pedido ${order} está iniciada (motivo: ${reason}). Le hemos enviado una etiqueta de devolución prepagada a su correo; entregue el paquete en un plazo de 14 días y el reembolso llegará en cuanto lo recibamos.`,
    refund: (order, reason) =>
      `El reembolso del pedido ${order} (devuelto por: ${reason}) se emite en un plazo de 5 días hábiles desde que el paquete llega a nuestro almacén, con su método de pago original.`,
    inProgress: (order, reason) => `La devolución del pedido ${order} (motivo: ${reason}) está en curso: la etiqueta prepagada está en su correo. ¿Le ayudo con algo más?`,
  },
  sales: {
    thanks: '¡Felices compras! Escríbanos aquí cuando quiera.',
    promotion: 'Use el código WELCOME10 para un 10% de descuento hoy.',
    chosen: (product) => `Buena elección: ${product}. Use el código WELCOME10 para un 10% de descuento hoy.`,
    remembered: (product) => `¿Sigue pensando en ${product}? WELCOME10 aún le da un 10% de descuento. ¿Algo más?`,
    askProduct: '¡Encantados de ayudarle con su compra! ¿Qué producto le interesa?',
    sizesInStock: (product, sizes) => `${product} está disponible en talla ${sizes}. ¿Qué talla desea?`,
  },
  support: {
    thanks: '¡De nada! Me alegra haberle ayudado.',
    greeting: '¡Hola! ¿En qué puedo ayudarle hoy?',
    password: 'Puede restablecer su contraseña desde la página de inicio de sesión ("¿Olvidó su contraseña?"); el enlace es válido durante 1 hora.',
    onItsWay: (order) => `El pedido ${order} está en camino; recibirá las actualizaciones de seguimiento por mensaje.`,
    askOrderForDelivery: 'Voy a revisar su entrega. ¿Cuál es el número de pedido?',
    lookedUp: (order) => `Gracias. He consultado el pedido ${order}: está en camino, y he anotado su mensaje para nuestro equipo.`,
    tellMore: 'Siento que tenga problemas. ¿Me cuenta un poco más, y el número de pedido si es sobre un pedido?',
    notUnderstood: 'Disculpe, no lo he entendido. Puedo ayudarle con devoluciones, pedidos y entregas, o pasarle con una persona: solo escriba "agente".',
  },
  handover: {
    'asked-for-person': 'Por supuesto. Le paso ahora con una persona de nuestro equipo.',
    'not-understood-twice': 'Siento no haber podido ayudarle. Le paso con una persona de nuestro equipo.',
    upset: 'Siento mucho las molestias. Le paso ahora mismo con una persona de nuestro equipo.',
    other: 'Le paso con una persona de nuestro equipo.',
    noRepeat: 'Puede ver toda nuestra conversación, así que no tendrá que repetir nada.',
  },
});

const SENTENCES: Record<FormOfAddress, Record<AgentLocale, AgentSentences>> = {
  informal: { en: EN, 'pt-BR': PT_BR, es: ES },
  formal: { en: EN, 'pt-BR': PT_BR_FORMAL, es: ES_FORMAL },
};

/** The agents' locale of a BCP 47 tag: `pt`, `pt-BR`, `pt-PT` → pt-BR; `es-*` → es; anything else (or none) → en. */
export function agentLocale(locale: string | undefined): AgentLocale {
  const base = (locale ?? '').toLowerCase().slice(0, 2);
  return base === 'pt' ? 'pt-BR' : base === 'es' ? 'es' : 'en';
}

/** The sentences for a locale (English for one without its own) in a form of address (informal unless told). */
export function sentencesFor(locale: string | undefined, address: FormOfAddress = 'informal'): AgentSentences {
  return SENTENCES[address === 'formal' ? 'formal' : 'informal'][agentLocale(locale)];
}
