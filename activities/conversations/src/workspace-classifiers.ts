import {
  CLASSIFIER_LOCALES,
  DEFAULT_INTENT_EXAMPLES,
  DEFAULT_KNOWLEDGE_BASE,
  IntentClassifier,
  type ClassifierLocale,
  type IntentExamples,
  type KnowledgeBase,
  type LabelledIntent,
} from './intent-classifier';

/** What a workspace added to the built-in examples and knowledge base (`KnowledgeStore` in libs/data). */
export interface WorkspaceKnowledgeSource {
  /** 0 when the workspace never added anything; greater after every change. */
  version(workspaceId: string): Promise<number>;
  trainingSet(workspaceId: string): Promise<{
    version: number;
    entries: Array<{ id: string; locale: string; questions: string[]; answer: string; intent: string | null }>;
    examples: Array<{ locale: string; intent: string; text: string }>;
  }>;
}

export interface WorkspaceClassifierOptions {
  source: WorkspaceKnowledgeSource;
  /** The classifier of a workspace that added nothing (trained once per process). */
  builtIn: () => Promise<IntentClassifier>;
  /** A workspace's version is read at most this often (ms); a change is used within it. */
  checkEveryMs: number;
  /** How many workspaces' classifiers are kept (the least recently used one goes first). */
  maxWorkspaces?: number;
  now?: () => number;
}

interface Cached {
  version: number;
  checkedAt: number;
  classifier: Promise<IntentClassifier>;
}

/** The built-in examples and knowledge base with a workspace's own on top (its entries with an intent also teach the intent their questions). */
export function withWorkspaceKnowledge(
  set: Awaited<ReturnType<WorkspaceKnowledgeSource['trainingSet']>>,
  examples: IntentExamples = DEFAULT_INTENT_EXAMPLES,
  knowledge: KnowledgeBase = DEFAULT_KNOWLEDGE_BASE,
): { examples: IntentExamples; knowledgeBase: KnowledgeBase } {
  const merged = {} as IntentExamples;
  const base = {} as KnowledgeBase;
  for (const locale of CLASSIFIER_LOCALES) {
    merged[locale] = Object.fromEntries(Object.entries(examples[locale]).map(([intent, { train, heldOut }]) => [intent, { train: [...train], heldOut }])) as IntentExamples[ClassifierLocale];
    base[locale] = [...(knowledge[locale] ?? [])];
  }
  const train = (locale: string, intent: string) => (merged[locale as ClassifierLocale]?.[intent as LabelledIntent] as { train: string[] } | undefined)?.train;
  for (const example of set.examples) train(example.locale, example.intent)?.push(example.text);
  for (const entry of set.entries) {
    base[entry.locale as ClassifierLocale]?.push({ id: entry.id, questions: entry.questions, answer: entry.answer });
    if (entry.intent) train(entry.locale, entry.intent)?.push(...entry.questions);
  }
  return { examples: merged, knowledgeBase: base };
}

/**
 * One trained classifier per workspace that added examples or answers, the built-in one for the
 * others. A workspace's version is read at most every `checkEveryMs`; when it changed, the next
 * message is classified by a classifier trained on the new data (no restart), while concurrent
 * messages share one training.
 */
export class WorkspaceClassifiers {
  private readonly cache = new Map<string, Cached>();
  private readonly refreshing = new Map<string, Promise<IntentClassifier>>();
  private readonly now: () => number;
  private readonly maxWorkspaces: number;

  constructor(private readonly options: WorkspaceClassifierOptions) {
    this.now = options.now ?? Date.now;
    this.maxWorkspaces = options.maxWorkspaces ?? 200;
  }

  async of(workspaceId: string): Promise<IntentClassifier> {
    const now = this.now();
    const cached = this.cache.get(workspaceId);
    if (cached && now - cached.checkedAt < this.options.checkEveryMs) return cached.classifier;
    // Messages of one workspace arriving together share one version read (and one training).
    let refreshing = this.refreshing.get(workspaceId);
    if (!refreshing) {
      refreshing = this.refresh(workspaceId, cached, now).finally(() => this.refreshing.delete(workspaceId));
      this.refreshing.set(workspaceId, refreshing);
    }
    return refreshing;
  }

  private async refresh(workspaceId: string, cached: Cached | undefined, now: number): Promise<IntentClassifier> {
    let version: number;
    try {
      version = await this.options.source.version(workspaceId);
    } catch {
      // The database is out of reach: classify with what this worker has rather than not at all.
      return cached?.classifier ?? this.options.builtIn();
    }
    if (cached && cached.version === version) {
      cached.checkedAt = now;
      return cached.classifier;
    }
    const classifier = version === 0 ? this.options.builtIn() : this.train(workspaceId);
    const entry: Cached = { version, checkedAt: now, classifier };
    this.cache.delete(workspaceId);
    this.cache.set(workspaceId, entry);
    if (this.cache.size > this.maxWorkspaces) this.cache.delete(this.cache.keys().next().value!);
    // A failed training is not kept: the next message tries again.
    classifier.catch(() => {
      if (this.cache.get(workspaceId) === entry) this.cache.delete(workspaceId);
    });
    return classifier;
  }

  private async train(workspaceId: string): Promise<IntentClassifier> {
    const set = await this.options.source.trainingSet(workspaceId);
    const { examples, knowledgeBase } = withWorkspaceKnowledge(set);
    return IntentClassifier.train(examples, knowledgeBase);
  }
}
