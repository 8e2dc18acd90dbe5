import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { LangPt } from '@nlpjs/lang-pt';
import { Nlp, type NlpInstance } from '@nlpjs/nlp';
import type { Intent } from '@continuum/contracts';
import defaultExamples from './intent-examples.json';
import defaultKnowledge from './knowledge-base.json';

/** The locales the classifier is trained for; any other locale uses the nearest (`pt-PT` → `pt-BR`, else `en`). */
export const CLASSIFIER_LOCALES = ['en', 'pt-BR', 'es'] as const;
export type ClassifierLocale = (typeof CLASSIFIER_LOCALES)[number];
export type LabelledIntent = Exclude<Intent, 'unknown'>;

/** Labelled messages per locale and intent: `train` is learnt from, `heldOut` only measured. */
export type IntentExamples = Record<ClassifierLocale, Record<LabelledIntent, { train: string[]; heldOut: string[] }>>;

/** Questions and their answer per locale: what the agents answer from instead of a canned text. */
export type KnowledgeBase = Record<ClassifierLocale, Array<{ id: string; questions: string[]; answer: string }>>;

export interface IntentGuess {
  intent: Intent;
  /** 0–1, the classifier's score for the intent (0 for unknown). */
  confidence: number;
  /** The locale whose model answered (the customer's own unless another was surer). */
  locale: ClassifierLocale;
}

export interface KnowledgeAnswer {
  id: string;
  answer: string;
  confidence: number;
}

/** NLP.js's language code of each locale. */
const LANGUAGE: Record<ClassifierLocale, string> = { en: 'en', 'pt-BR': 'pt', es: 'es' };
/** Below this score a model's intent is not trusted (the message is `unknown`, or another locale is tried). */
const MIN_INTENT_SCORE = 0.6;
/** A knowledge-base answer must be this sure: a wrong answer is worse than none. */
const MIN_KNOWLEDGE_SCORE = 0.75;

/** Words a question starts with, per locale (besides a question mark anywhere at its end). */
const QUESTION_START: Record<ClassifierLocale, RegExp> = {
  en: /^(what|where|when|why|who|which|how|can|could|do|does|did|is|are|was|will|would|has|have|any)(?!\p{L})/iu,
  'pt-BR': /^(o que|onde|quando|por ?que|quem|qual|quais|como|cad[eê]|posso|pode|podem|tem|t[eê]m|voc[eê]s t[eê]m|alguma|algum|d[aá] pra)(?!\p{L})/iu,
  es: /^(¿|(qu[eé]|d[oó]nde|cu[aá]ndo|por qu[eé]|qui[eé]n|cu[aá]l|cu[aá]les|c[oó]mo|puedo|pueden|tienen|hay|alguna|alg[uú]n)(?!\p{L}))/iu,
};

/** Whether the message asks something (a question mark at its end, or a question word first). */
export function isQuestion(text: string, locale: ClassifierLocale): boolean {
  const trimmed = text.trim();
  return /[?？]\s*$/.test(trimmed) || QUESTION_START[locale].test(trimmed);
}

export function classifierLocale(locale: string | undefined): ClassifierLocale {
  const base = (locale ?? 'en').toLowerCase().slice(0, 2);
  return base === 'pt' ? 'pt-BR' : base === 'es' ? 'es' : 'en';
}

async function newNlp(language: string): Promise<NlpInstance> {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangEn);
  container.use(LangPt);
  container.use(LangEs);
  // NLP.js's defaults, without the per-epoch training log.
  container.registerConfiguration(
    'nlu-??',
    { keepStopwords: true, nonefeatureValue: 1, nonedeltaMultiplier: 1.2, spellCheck: false, spellCheckDistance: 1, filterZeros: true, log: false },
    true,
  );
  const nlp = container.get('nlp');
  nlp.settings['autoSave'] = false;
  nlp.settings['autoLoad'] = false;
  nlp.settings['calculateSentiment'] = false;
  nlp.addLanguage(language);
  return nlp;
}

/**
 * Intent classification and knowledge-base matching trained from examples with NLP.js (a neural
 * network per locale over stemmed words; deterministic: its weights start at zero). Runs in an
 * activity, never in workflow code. Train once per process with `trainedClassifier()`.
 */
export class IntentClassifier {
  private constructor(
    private readonly intents: Map<ClassifierLocale, NlpInstance>,
    private readonly knowledge: Map<ClassifierLocale, { nlp: NlpInstance; answers: Map<string, string> }>,
  ) {}

  static async train(examples: IntentExamples, knowledgeBase: KnowledgeBase): Promise<IntentClassifier> {
    const intents = new Map<ClassifierLocale, NlpInstance>();
    const knowledge = new Map<ClassifierLocale, { nlp: NlpInstance; answers: Map<string, string> }>();
    for (const locale of CLASSIFIER_LOCALES) {
      const language = LANGUAGE[locale];
      const nlp = await newNlp(language);
      for (const [intent, { train }] of Object.entries(examples[locale])) for (const utterance of train) nlp.addDocument(language, utterance, intent);
      await nlp.train();
      intents.set(locale, nlp);
      const entries = knowledgeBase[locale] ?? [];
      if (entries.length === 0) continue;
      const kb = await newNlp(language);
      for (const entry of entries) for (const question of entry.questions) kb.addDocument(language, question, entry.id);
      await kb.train();
      knowledge.set(locale, { nlp: kb, answers: new Map(entries.map((entry) => [entry.id, entry.answer])) });
    }
    return new IntentClassifier(intents, knowledge);
  }

  /** The customer's locale first; when its model is unsure, the other locales (people switch languages). */
  async classify(text: string, locale?: string): Promise<IntentGuess> {
    const own = classifierLocale(locale);
    const trimmed = text.trim();
    if (trimmed === '') return { intent: 'unknown', confidence: 0, locale: own };
    let best: IntentGuess = { intent: 'unknown', confidence: 0, locale: own };
    for (const candidate of [own, ...CLASSIFIER_LOCALES.filter((other) => other !== own)]) {
      const result = await this.intents.get(candidate)!.process(LANGUAGE[candidate], trimmed);
      if (result.intent !== 'None' && result.score >= MIN_INTENT_SCORE && result.score > best.confidence) {
        best = { intent: result.intent as Intent, confidence: Math.round(result.score * 100) / 100, locale: candidate };
      }
      if (best.intent !== 'unknown' && best.locale === own) break;
    }
    return best;
  }

  /** The knowledge-base answer to a question, in the locale it is asked in; undefined when none fits well enough. */
  async answer(text: string, locale: ClassifierLocale): Promise<KnowledgeAnswer | undefined> {
    const kb = this.knowledge.get(locale);
    if (!kb || text.trim() === '') return undefined;
    const result = await kb.nlp.process(LANGUAGE[locale], text.trim());
    const answer = kb.answers.get(result.intent);
    if (!answer || result.score < MIN_KNOWLEDGE_SCORE) return undefined;
    return { id: result.intent, answer, confidence: Math.round(result.score * 100) / 100 };
  }
}

export const DEFAULT_INTENT_EXAMPLES = defaultExamples as unknown as IntentExamples;
export const DEFAULT_KNOWLEDGE_BASE = defaultKnowledge as unknown as KnowledgeBase;

let trained: Promise<IntentClassifier> | undefined;

/** The classifier trained on the built-in examples and knowledge base: trained once per process (tens of milliseconds). */
export function trainedClassifier(): Promise<IntentClassifier> {
  trained ??= IntentClassifier.train(DEFAULT_INTENT_EXAMPLES, DEFAULT_KNOWLEDGE_BASE).catch((error: unknown) => {
    trained = undefined;
    throw error;
  });
  return trained;
}
