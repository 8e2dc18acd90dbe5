// The parts of NLP.js (which ships no types) that the intent classifier uses.
declare module '@nlpjs/core' {
  export interface NlpContainer {
    use(plugin: unknown): void;
    get(name: 'nlp'): import('@nlpjs/nlp').NlpInstance;
    registerConfiguration(tag: string, configuration: Record<string, unknown>, overwrite?: boolean): void;
    register(name: string, value: unknown, isSingleton?: boolean): void;
  }
  export function containerBootstrap(): Promise<NlpContainer>;
}

declare module '@nlpjs/nlp' {
  export interface NlpResult {
    intent: string;
    score: number;
    classifications: Array<{ intent: string; score: number }>;
  }
  export interface NlpInstance {
    settings: Record<string, unknown>;
    addLanguage(locale: string): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
  }
  export const Nlp: unknown;
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-pt' {
  export const LangPt: unknown;
}
declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
}
declare module '@nlpjs/sentiment' {
  export class SentimentAnalyzer {
    constructor(settings: { container: import('@nlpjs/core').NlpContainer });
    process(input: { locale: string; text: string }): Promise<{ sentiment: { score: number; vote: string; type?: string; numHits: number } }>;
  }
}
