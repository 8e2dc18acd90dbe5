import { INTENTS, STOCK_ITEMS_KEPT, type Classification, type ConversationActivities, type Intent, type LookupResult, type MessageVoice, type StockItem, type StockReport } from '@continuum/contracts';
import type { ConversationStore, ProfileStore } from '@continuum/data';
import { escalationKeywordIn, extractEntities, isValidTimeZone, wordsBesideSize } from '@continuum/domain';
import { classifierLocale, isQuestion, trainedClassifier, type IntentClassifier } from './intent-classifier';
import { extractDate } from './message-dates';
import { messageSentiment } from './message-sentiment';
import { WorkspaceClassifiers, type WorkspaceKnowledgeSource } from './workspace-classifiers';

/** An external intent model over HTTP: `POST url` with `{ text, locale }`, answering `{ intent, confidence }`. */
export interface IntentModelConfig {
  url: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
}

export interface ConversationActivityDeps {
  conversations: ConversationStore;
  profiles: ProfileStore;
  /** Unset: the classifier trained from the built-in examples (NLP.js) classifies every message. */
  model?: IntentModelConfig;
  /** The trained classifier (default: the built-in examples and knowledge base, trained once per process). */
  classifier?: () => Promise<IntentClassifier>;
  /** Each workspace's own examples and knowledge base, learnt on top of the built-in ones (unset: the built-in ones alone). */
  knowledge?: WorkspaceKnowledgeSource;
  /** A workspace's knowledge version is read at most this often (ms, default 5,000): a saved answer is used within it. */
  knowledgeCheckMs?: number;
  /** The trait that marks a VIP (true, "true", "yes", 1; or `tier: "vip"`). */
  vipTrait: string;
  escalationKeywords: string[];
  reopenWithinDays: number;
  /**
   * The workspace's stock lookup (CONVERSATION_STOCK_LOOKUP): run for a sales message, or one naming a
   * size while a sales topic is open, with `workspace_id`, `text` (the message), `size` and `product`
   * (the open sales topic's, '' when none); rows `{ product, size, available }`.
   */
  stock?: (params: StockLookupParams) => Promise<LookupResult>;
  /** The workspace's voice for a customer (its policy, for their country): the agents answer in it (unset: the default voice). */
  voiceFor?: (workspaceId: string, customerId: string) => Promise<MessageVoice>;
}

/** What the stock lookup is given: it declares any of these parameters, in any order. */
export interface StockLookupParams {
  workspace_id: string;
  text: string;
  size: string;
  product: string;
}
export const STOCK_LOOKUP_PARAMS: ReadonlyArray<keyof StockLookupParams> = ['workspace_id', 'text', 'size', 'product'];

/** The stock rows of a lookup's result, checked: a row of another shape makes the report an error, never a guess. */
export function stockReportOf(result: LookupResult, size: string | undefined): StockReport {
  const items: StockItem[] = [];
  for (const row of result.rows.slice(0, STOCK_ITEMS_KEPT)) {
    const available = typeof row['available'] === 'string' ? Number(row['available']) : row['available'];
    if (typeof row['product'] !== 'string' || row['product'].trim() === '' || (typeof row['size'] !== 'string' && typeof row['size'] !== 'number') || typeof available !== 'number' || !Number.isFinite(available)) {
      return { ...(size ? { size } : {}), items: [], error: 'the stock lookup must return rows { product: text, size: text, available: integer }' };
    }
    items.push({ product: row['product'].trim().slice(0, 120), size: String(row['size']).trim().toUpperCase().slice(0, 20), available: Math.max(0, Math.floor(available)) });
  }
  return { ...(size ? { size } : {}), items };
}

/**
 * Classification asks the model when one is configured and falls back to the trained classifier
 * (saying why) when it is slow, down or answers nonsense: a message is never left unclassified.
 * Questions are looked up in the knowledge base, in the locale the message is written in.
 */
export function createConversationActivities(deps: ConversationActivityDeps): ConversationActivities {
  const classifier = deps.classifier ?? trainedClassifier;
  // Trained while the worker starts, not on the first customer's message (a failure is retried then).
  void classifier().catch(() => undefined);
  const workspaces = deps.knowledge
    ? new WorkspaceClassifiers({ source: deps.knowledge, builtIn: classifier, checkEveryMs: deps.knowledgeCheckMs ?? 5_000 })
    : undefined;
  return {
    async classifyMessage({ workspaceId, text, locale, product, at, timeZone }) {
      const trained = workspaces ? await workspaces.of(workspaceId) : await classifier();
      const guess = await trained.classify(text, locale);
      const keyword = escalationKeywordIn(text, deps.escalationKeywords);
      // The language the message is written in: the model that recognised it, else the customer's own.
      const language = guess.intent === 'unknown' ? classifierLocale(locale) : guess.locale;
      const question = isQuestion(text, language);
      const knowledge = question ? await trained.answer(text, language) : undefined;
      const sentiment = await messageSentiment(text, language);
      const extra = {
        question,
        locale: language,
        sentiment,
        ...(knowledge ? { knowledge: { id: knowledge.id, answer: knowledge.answer } } : {}),
        ...(keyword ? { escalationKeyword: keyword } : {}),
      };
      const entities = { ...extractEntities(text), ...datesIn(text, language, at, timeZone) };
      const own = { intent: guess.intent, confidence: guess.confidence, entities };
      let classified: Classification;
      if (!deps.model) classified = { ...own, source: 'nlp', ...extra };
      else {
        try {
          const answer = await askModel(deps.model, text, locale);
          // The model names the intent; facts (order numbers, addresses) still come from the text.
          classified = { intent: answer.intent, confidence: answer.confidence, source: 'model', entities, ...extra };
        } catch (error) {
          classified = { ...own, source: 'nlp', fallback: (error as Error).message, ...extra };
        }
      }
      const size = entities['size'];
      // A short reply naming a size while a sales topic is about a product ("ok, size 42 then") answers
      // the agent's question: the models, trained on whole requests, read such fragments as anything.
      if (size && product && wordsBesideSize(text) <= 4) {
        classified.intent = 'sales';
        classified.confidence = 1;
        classified.slot = 'size';
      }
      if (deps.stock && classified.intent === 'sales') {
        try {
          const params = { workspace_id: workspaceId, text: text.slice(0, 1_000), size: size ?? '', product: (product ?? '').slice(0, 120) };
          classified.stock = stockReportOf(await deps.stock(params), size);
        } catch (error) {
          classified.stock = { ...(size ? { size } : {}), items: [], error: (error as Error).message };
        }
      }
      return classified;
    },

    async recordConversation(input) {
      await deps.conversations.record(input);
    },

    async getConversationContext({ workspaceId, customerId }) {
      const profile = await deps.profiles.get(workspaceId, customerId);
      const traits = (profile?.traits ?? {}) as Record<string, unknown>;
      const flag = traits[deps.vipTrait];
      const vip = flag === true || flag === 1 || (typeof flag === 'string' && ['true', 'yes', '1'].includes(flag.toLowerCase())) || traits['tier'] === 'vip';
      const locale = typeof traits['locale'] === 'string' ? traits['locale'] : undefined;
      const voice = await deps.voiceFor?.(workspaceId, customerId);
      const timeZone = typeof traits['timezone'] === 'string' && isValidTimeZone(traits['timezone']) ? traits['timezone'] : undefined;
      return { vip, ...(locale ? { locale } : {}), ...(voice ? { voice } : {}), ...(timeZone ? { timeZone } : {}), reopenWithinDays: deps.reopenWithinDays };
    },
  };
}

/** The day a message names as an entity: `purchaseDate` when it says they bought then, else `date` (none without the message's time). */
function datesIn(text: string, locale: ReturnType<typeof classifierLocale>, at: string | undefined, timeZone: string | undefined): Record<string, string> {
  if (!at) return {};
  const found = extractDate(text, { at, locale, ...(timeZone ? { timeZone } : {}) });
  if (!found) return {};
  return found.purchase ? { purchaseDate: found.date } : { date: found.date };
}

async function askModel(model: IntentModelConfig, text: string, locale: string | undefined): Promise<Pick<Classification, 'intent' | 'confidence'>> {
  let response: Response;
  try {
    response = await fetch(model.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(model.token ? { authorization: `Bearer ${model.token}` } : {}) },
      body: JSON.stringify({ text, locale: locale ?? null, intents: INTENTS }),
      signal: AbortSignal.timeout(model.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    throw new Error(name === 'TimeoutError' || name === 'AbortError' ? `model timed out after ${model.timeoutMs} ms` : `model unreachable: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`model answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error('model answered something other than JSON');
  }
  const { intent, confidence } = (body ?? {}) as { intent?: unknown; confidence?: unknown };
  if (typeof intent !== 'string' || !(INTENTS as readonly string[]).includes(intent)) throw new Error(`model answered an unknown intent ${JSON.stringify(intent)}`);
  const score = typeof confidence === 'number' && confidence >= 0 && confidence <= 1 ? confidence : 1;
  return { intent: intent as Intent, confidence: score };
}

