import examples from '../../activities/conversations/src/intent-examples.json';
import { graphql, IDENTIFY, percentile, progress, round } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

type Locale = 'en' | 'pt-BR' | 'es';
type Channel = 'in_app' | 'email' | 'sms' | 'whatsapp';
const LOCALES: readonly Locale[] = ['en', 'pt-BR', 'es'];
const CHANNELS: readonly Channel[] = ['in_app', 'email', 'sms', 'whatsapp'];
const EMULATOR_NUMBER = '+15005550006';
const THANKS: Record<Locale, string> = { en: 'Thanks!', 'pt-BR': 'Obrigada!', es: '¡Gracias!' };
/** The details the returns agent asks for, in the customer's language: the order, then the reason. */
const RETURN_DETAILS: Record<Locale, [string, string]> = {
  en: ['It is order #%, I bought them last Tuesday', 'They are too small'],
  'pt-BR': ['É o pedido #%, comprei dia 3', 'Ficou pequeno demais'],
  es: ['Es el pedido #%, los compré el 5 de mayo', 'Me quedan pequeñas'],
};
/** A later question about a delivery that names no order (the conversation knows it when the customer gave it before). */
const DELIVERY_LATER: Record<Locale, string> = {
  en: "Where is my package? It still hasn't arrived",
  'pt-BR': 'Cadê meu pedido? Ainda não chegou',
  es: '¿Dónde está mi pedido? Todavía no ha llegado',
};
/** Two strongly negative messages in a row: the second hands the topic to a person (`upset`). */
const UPSET: Record<Locale, [string, string]> = {
  en: ['This is terrible, awful service, the worst', 'Horrible, useless, I hate this'],
  'pt-BR': ['Péssimo atendimento, estou muito irritado, horrível', 'Que horror, péssimo, ridículo, estou furioso'],
  es: ['Pésimo servicio, es horrible, un desastre', 'Horrible, pésimo, un desastre total, estoy furiosa'],
};
const POST_IN_APP = `mutation($input: PostInAppMessageInput!) { postInAppMessage(input: $input) { conversationMessageId userErrors { field message } } }`;
const METRICS = `query($from: DateTime!, $to: DateTime!) { conversationMetrics(from: $from, to: $to, withinDays: 7) {
  inboundMessages topicsOpened escalation { topics rate byReason { reason keyword topics } }
  automation { resolvedTopics withoutPerson share target meetsTarget } repeatedQuestions { topics repeats reasked } } }`;

interface Customer {
  userId: string;
  locale: Locale;
  channel: Channel;
  phone: string;
  email: string;
  /** The held-out example it opens with (never trained on) and its label. */
  opening: string;
  label: string;
  n: number;
}

interface Metrics {
  inboundMessages: number;
  topicsOpened: number;
  escalation: { topics: number; rate: number; byReason: Array<{ reason: string; keyword: string | null; topics: number }> };
  automation: { resolvedTopics: number; withoutPerson: number; share: number; target: number; meetsTarget: boolean };
  repeatedQuestions: { topics: number; repeats: number; reasked: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A scripted month of conversations in three languages on four channels, replayed back to back (the
 * month's days pass in minutes: what depends on days apart, the reopen window, sees them as one
 * day): each customer opens with a held-out labelled message (never trained on) on their channel —
 * in-app through GraphQL, email, SMS and WhatsApp delivered by the emulator as SendGrid and Twilio
 * deliver them — answers what the agent asks (a return's order with when they bought it, and the
 * reason) and says thanks; every 7th is upset twice instead (handed to a person), every 3rd later
 * asks where a delivery is on another channel without naming the order. Reports intent accuracy per
 * locale and the mis-routes, time to answer, escalations by reason, re-asks, the automation rate
 * (`conversationMetrics`) and what keeps it from the 80 % target.
 */
export async function conversations(ctx: BenchContext): Promise<ScenarioResult> {
  if (!ctx.stack.emulatorUrl) throw new Error('the conversations scenario needs the Twilio emulator');
  const began = new Date(Date.now() - 1000);
  const customers: Customer[] = [];
  let n = 0;
  for (const locale of LOCALES) {
    const labelled = (examples as unknown as Record<Locale, Record<string, { heldOut: string[] }>>)[locale];
    for (const [label, { heldOut }] of Object.entries(labelled)) {
      for (const opening of heldOut) {
        const i = n++;
        customers.push({
          userId: `conv-${ctx.runId}-${i}`,
          locale,
          channel: CHANNELS[i % CHANNELS.length]!,
          phone: `+1415666${String(i % 10_000).padStart(4, '0')}`,
          email: `conv-${ctx.runId}-${i}@example.com`,
          opening,
          label,
          n: i,
        });
      }
    }
  }

  // `--members N`: every k-th of the held-out openings (all locales and intents keep their share), for a shorter run on a busy machine.
  if (ctx.members && ctx.members < customers.length) {
    const step = customers.length / ctx.members;
    const kept = Array.from({ length: ctx.members }, (_, i) => customers[Math.floor(i * step)]!);
    customers.splice(0, customers.length, ...kept);
  }
  const identify = progress('identify', customers.length);
  for (const c of customers) {
    await graphql(ctx.stack, IDENTIFY, { input: { userId: c.userId, traits: { first_name: 'Bench', phone: c.phone, email: c.email, locale: c.locale } } });
    identify.tick();
  }
  identify.done();

  /** Sends a customer's message on their channel; returns its conversation message id. */
  const say = async (c: Customer, body: string, turn: number): Promise<string> => {
    const post = async (path: string, payload: Record<string, unknown>) => {
      const response = await fetch(`${ctx.stack.emulatorUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      const json = (await response.json()) as { sid?: string; messageId?: string; webhookStatus?: number };
      if (json.webhookStatus !== 200) throw new Error(`${path} for ${c.userId}: webhook answered ${json.webhookStatus}`);
      return json;
    };
    switch (c.channel) {
      case 'in_app': {
        const clientMessageId = `${c.userId}-${turn}`;
        await graphql(ctx.stack, POST_IN_APP, { input: { userId: c.userId, body, clientMessageId } });
        return `in_app:${clientMessageId}`;
      }
      case 'email':
        // A reply's subject ("Re: …") is not classified: the message alone is, as on the other channels.
        return `sendgrid:${(await post('/__emulator/inbound-email', { from: c.email, to: 'support@continuum.test', subject: 'Re: Your order', text: body })).messageId!}`;
      case 'sms':
        return `twilio:${(await post('/__emulator/inbound', { from: c.phone, to: EMULATOR_NUMBER, body })).sid!}`;
      case 'whatsapp':
        return `twilio:${(await post('/__emulator/inbound', { from: `whatsapp:${c.phone}`, to: `whatsapp:${EMULATOR_NUMBER}`, body })).sid!}`;
    }
  };

  /** The first reply after a message of the customer's (ms after it), or undefined within the timeout. */
  const replyAfter = async (c: Customer, messageId: string, timeoutMs = 60_000): Promise<{ ms: number; body: string } | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const rows: Array<{ ms: number; body: string }> = await ctx.db.query(
        `SELECT EXTRACT(EPOCH FROM (o.at - i.at)) * 1000 AS ms, o.body FROM conversation_messages i
         JOIN conversation_messages o ON o.customer_id = i.customer_id AND o.direction = 'out' AND o.at >= i.at
         WHERE i.id = $1 ORDER BY o.at LIMIT 1`,
        [messageId],
      );
      if (rows[0]) return { ms: Number(rows[0].ms), body: rows[0].body };
      await sleep(200);
    }
    return undefined;
  };

  const answerTimes: number[] = [];
  let laterDeliveries = 0;
  const routed: Array<{ c: Customer; intent: string }> = [];
  const unanswered: string[] = [];
  const talk = progress('conversations', customers.length);
  // A few customers at a time, as a support inbox sees them.
  const queue = [...customers];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const first = await say(c, c.opening, 1);
        const reply = await replyAfter(c, first);
        const [row] = (await ctx.db.query(`SELECT intent FROM conversation_messages WHERE id = $1`, [first])) as Array<{ intent: string | null }>;
        routed.push({ c, intent: row?.intent ?? 'none' });
        if (!reply) {
          // A greeting or a thank-you with nothing open needs no answer; anything else should have one.
          if (!['thanks'].includes(c.label)) unanswered.push(`${c.locale} ${c.channel}: ${c.opening}`);
          talk.tick();
          continue;
        }
        answerTimes.push(reply.ms);
        let turn = 1;
        // The returns agent asks for the order, then the reason: the customer gives them, once each.
        for (const [ask, detail] of [
          [/order number|número do pedido|número de pedido/i, RETURN_DETAILS[c.locale][0].replace('%', String(5000 + c.n))],
          [/reason/i, RETURN_DETAILS[c.locale][1]],
        ] as const) {
          const last = await ctx.db.query(`SELECT body FROM conversation_messages WHERE customer_id = $1 AND direction = 'out' ORDER BY at DESC LIMIT 1`, [c.userId]);
          if (!ask.test(String(last[0]?.body ?? ''))) continue;
          const id = await say(c, detail, ++turn);
          const answer = await replyAfter(c, id);
          if (answer) answerTimes.push(answer.ms);
        }
        // Every 7th customer is upset twice in their first topic: a person takes it over (`upset`).
        const upset = c.n % 7 === 3 && c.label !== 'human';
        if (upset) {
          for (const text of UPSET[c.locale]) {
            const id = await say(c, text, ++turn);
            const answer = await replyAfter(c, id);
            if (answer) answerTimes.push(answer.ms);
          }
        }
        if (c.label !== 'human' && !upset) {
          const id = await say(c, THANKS[c.locale], ++turn);
          await replyAfter(c, id, 10_000);
        }
        // Later in the month every 3rd customer asks about a delivery on another channel, naming no order:
        // who gave one before is answered with it, who did not is asked (not a re-ask).
        if (c.n % 3 === 1 && c.label !== 'human') {
          const other: Customer = { ...c, channel: CHANNELS[(CHANNELS.indexOf(c.channel) + 1) % CHANNELS.length]! };
          const id = await say(other, DELIVERY_LATER[c.locale], ++turn);
          const answer = await replyAfter(c, id);
          if (answer) answerTimes.push(answer.ms);
          laterDeliveries += 1;
          const thanks = await say(other, THANKS[c.locale], ++turn);
          await replyAfter(c, thanks, 10_000);
        }
        talk.tick();
      }
    }),
  );
  talk.done();
  await sleep(2000);
  const metrics = (await graphql<{ conversationMetrics: Metrics }>(ctx.stack, METRICS, { from: began.toISOString(), to: new Date(Date.now() + 1000).toISOString() })).conversationMetrics;

  const rows: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  const notes: string[] = [];
  for (const locale of LOCALES) {
    const mine = routed.filter((r) => r.c.locale === locale);
    const right = mine.filter((r) => r.intent === r.c.label).length;
    rows.push({ what: `intent accuracy, ${locale} (${right}/${mine.length} held-out openings)`, value: round((100 * right) / Math.max(1, mine.length)), unit: '%' });
    bars.push({ label: locale, value: round((100 * right) / Math.max(1, mine.length)), group: 'accuracy' });
  }
  for (const channel of CHANNELS) {
    const mine = routed.filter((r) => r.c.channel === channel);
    const right = mine.filter((r) => r.intent === r.c.label).length;
    rows.push({ what: `intent accuracy, ${channel} (${right}/${mine.length})`, value: round((100 * right) / Math.max(1, mine.length)), unit: '%' });
  }
  notes.push('Channels take the openings in turn, so each channel gets different messages: the per-channel figures show that every channel routes, not that one classifies better (the text classified is the same whatever the channel).');
  const misroutes = routed.filter((r) => r.intent !== r.c.label);
  rows.push({ what: 'mis-routes (opening routed to another intent)', value: misroutes.length, unit: 'messages' });
  const byKind = new Map<string, number>();
  for (const r of misroutes) byKind.set(`${r.c.label} → ${r.intent}`, (byKind.get(`${r.c.label} → ${r.intent}`) ?? 0) + 1);
  notes.push(`Mis-routes by kind: ${[...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}`);
  for (const r of misroutes) notes.push(`  ${r.c.locale} "${r.c.opening}": ${r.c.label} → ${r.intent}`);
  if (unanswered.length > 0) notes.push(`Unanswered openings: ${unanswered.join('; ')}`);
  rows.push({ what: 'time to answer p50', value: round(percentile(answerTimes, 50)), unit: 'ms' });
  rows.push({ what: 'time to answer p95', value: round(percentile(answerTimes, 95)), unit: 'ms' });
  rows.push({ what: 'topics opened', value: metrics.topicsOpened, unit: 'topics' });
  rows.push({ what: 'escalated to a person', value: metrics.escalation.topics, unit: 'topics' });
  for (const reason of metrics.escalation.byReason) rows.push({ what: `escalated: ${reason.reason}${reason.keyword ? ` (${reason.keyword})` : ''}`, value: reason.topics, unit: 'topics' });
  rows.push({ what: 'resolutions', value: metrics.automation.resolvedTopics, unit: 'resolutions' });
  rows.push({ what: 'automation rate (resolutions without a person ÷ resolutions)', value: round(100 * metrics.automation.share), unit: '%', ratio: round(metrics.automation.share / metrics.automation.target, 2), baseline: 'target 80 %' });
  // What the seed's target means: of the requests (topics), the share settled with no person.
  const requestsAutomated = metrics.automation.withoutPerson / Math.max(1, metrics.topicsOpened);
  rows.push({ what: 'requests automated (resolutions without a person ÷ topics opened)', value: round(100 * requestsAutomated), unit: '%', ratio: round(requestsAutomated / metrics.automation.target, 2), baseline: 'target 80 %' });
  rows.push({ what: 'repeated questions (reopenings, new topics on the same need, re-asks)', value: metrics.repeatedQuestions.repeats, unit: 'repeats' });
  rows.push({ what: 'information asked again (re-asks)', value: metrics.repeatedQuestions.reasked, unit: 're-asks' });
  rows.push({ what: 'later delivery questions on another channel', value: laterDeliveries, unit: 'messages' });
  // What the month left with a person or open: the limits of the automation rate.
  const [facts] = (await ctx.db.query(
    `SELECT count(*) FILTER (WHERE facts ? 'purchaseDate')::int AS "purchaseDates", count(*) FILTER (WHERE facts ? 'upset')::int AS upset,
       count(*) FILTER (WHERE status = 'automated')::int AS open, count(*) FILTER (WHERE status = 'human')::int AS "withPerson"
     FROM conversation_topics WHERE customer_id LIKE $1`,
    [`conv-${ctx.runId}-%`],
  )) as Array<{ purchaseDates: number; upset: number; open: number; withPerson: number }>;
  rows.push({ what: 'topics with a purchase date read from the customer (en "last Tuesday", pt-BR "dia 3", es "5 de mayo")', value: facts?.purchaseDates ?? 0, unit: 'topics' });
  rows.push({ what: 'topics with a strongly negative message', value: facts?.upset ?? 0, unit: 'topics' });
  rows.push({ what: 'topics left open with an agent at the end (neither resolved nor escalated)', value: facts?.open ?? 0, unit: 'topics' });
  rows.push({ what: 'topics with a person at the end', value: facts?.withPerson ?? 0, unit: 'topics' });
  const byReasonText = metrics.escalation.byReason.map((r) => `${r.reason.toLowerCase()}${r.keyword ? ` (${r.keyword})` : ''} ${r.topics}`).join(', ');
  const gap = metrics.topicsOpened - metrics.automation.withoutPerson;
  notes.push(
    `Against the 80 % target: of ${metrics.topicsOpened} topics, ${metrics.automation.withoutPerson} were settled with no person; the ${gap} others are ${metrics.escalation.topics} escalated (${byReasonText || 'none'}) and ${facts?.open ?? 0} left open with an agent (customers who stopped writing: delivery questions answered but not thanked for, mis-routed openings answered with a clarifying question).`,
  );
  notes.push(
    `${customers.filter((c) => c.label === 'human').length} of the ${customers.length} customers open by asking for a person (escalated by design, never resolved here): they bound the requests automated. Escalated topics are not resolved in this run, so the automation rate over resolutions counts only what the bots settled.`,
  );
  return {
    scenario: 'conversations',
    title: 'A scripted month of conversations in three languages on four channels',
    settings: { customers: customers.length, heldOutOpenings: n, locales: LOCALES, channels: CHANNELS, concurrency: 6 },
    rows,
    notes,
    chart: { title: 'Intent accuracy per locale (held-out openings)', unit: '%', bars },
  };
}
