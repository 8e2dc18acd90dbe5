import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeStore, WorkspaceStore, type ConversationStore, type ProfileStore } from '@continuum/data';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { createConversationActivities } from './conversation-activities';
import { DEFAULT_INTENT_EXAMPLES, DEFAULT_KNOWLEDGE_BASE, trainedClassifier } from './intent-classifier';
import { WorkspaceClassifiers, withWorkspaceKnowledge, type WorkspaceKnowledgeSource } from './workspace-classifiers';

// A workspace's own answers and examples, saved in PostgreSQL as the GraphQL mutations save them.
describe("classifyMessage with each workspace's own knowledge base and examples (real PostgreSQL)", () => {
  let db: TestDatabase;
  let store: KnowledgeStore;
  let shop: string;
  let other: string;
  let activities: ReturnType<typeof createConversationActivities>;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new KnowledgeStore(db.dataSource);
    const workspaces = new WorkspaceStore(db.dataSource);
    shop = (await workspaces.createWorkspace('kb-shop', 'Shop')).id;
    other = (await workspaces.createWorkspace('kb-other', 'Other')).id;
    activities = createConversationActivities({
      conversations: {} as ConversationStore,
      profiles: {} as ProfileStore,
      vipTrait: 'vip',
      escalationKeywords: [],
      reopenWithinDays: 7,
      knowledge: store,
      // Every message reads the version: a change is used by the very next one.
      knowledgeCheckMs: 0,
    });
  });

  afterAll(async () => {
    await db?.teardown();
  });

  const classify = (workspaceId: string, text: string, locale = 'en') => activities.classifyMessage({ workspaceId, text, locale });

  it("answers a question from the workspace's own entry, in that workspace only, and stops once it is deleted", async () => {
    const question = 'Do you ship to the Azores?';
    expect((await classify(shop, question)).knowledge).toBeUndefined();
    const entry = await store.createEntry(shop, {
      locale: 'en',
      questions: ['do you deliver to the azores', 'can you ship to the azores islands', 'is shipping to the azores available', 'do you send orders to the azores'],
      answer: 'Yes: orders reach the Azores in 5 business days, at no extra cost.',
      intent: null,
    });

    expect((await classify(shop, question)).knowledge).toEqual({ id: entry.id, answer: 'Yes: orders reach the Azores in 5 business days, at no extra cost.' });
    expect((await classify(other, question)).knowledge).toBeUndefined();
    // The built-in answers stay: a delivery question the built-in base answers is still answered.
    expect((await classify(shop, 'Where do I drop off the parcel?')).knowledge?.id).toBe('return-drop-off');

    await store.deleteEntry(shop, entry.id);
    expect((await classify(shop, question)).knowledge).toBeUndefined();
  });

  it("learns the workspace's own examples of an intent, in that workspace only", async () => {
    expect(await classify(shop, 'zorbex')).toMatchObject({ intent: 'unknown' });
    await store.addExamples(shop, 'en', 'sales', ['is the zorbex in stock', 'I want to buy a zorbex', 'how much is the zorbex', 'zorbex bundle offer']);

    expect(await classify(shop, 'zorbex')).toMatchObject({ intent: 'sales', source: 'nlp' });
    expect(await classify(other, 'zorbex')).toMatchObject({ intent: 'unknown' });
  });
});

describe('withWorkspaceKnowledge', () => {
  it("adds a workspace's examples to the built-in ones, and the questions of an entry with an intent as examples of it", () => {
    const { examples, knowledgeBase } = withWorkspaceKnowledge({
      version: 3,
      entries: [
        { id: 'e1', locale: 'es', questions: ['¿mi quuxor no enciende?'], answer: 'Manténgalo pulsado 10 segundos.', intent: 'support' },
        { id: 'e2', locale: 'en', questions: ['do you ship to the azores'], answer: 'Yes.', intent: null },
      ],
      examples: [{ locale: 'pt-BR', intent: 'sales', text: 'quero um zorbex' }],
    });
    expect(examples.es.support.train).toEqual([...DEFAULT_INTENT_EXAMPLES.es.support.train, '¿mi quuxor no enciende?']);
    expect(examples['pt-BR'].sales.train).toEqual([...DEFAULT_INTENT_EXAMPLES['pt-BR'].sales.train, 'quero um zorbex']);
    expect(examples.en).toEqual(DEFAULT_INTENT_EXAMPLES.en);
    expect(knowledgeBase.en.at(-1)).toEqual({ id: 'e2', questions: ['do you ship to the azores'], answer: 'Yes.' });
    expect(knowledgeBase.es).toHaveLength(DEFAULT_KNOWLEDGE_BASE.es.length + 1);
    // The built-in sets are left as they were.
    expect(DEFAULT_INTENT_EXAMPLES.es.support.train).not.toContain('¿mi quuxor no enciende?');
    expect(DEFAULT_KNOWLEDGE_BASE.en.map((entry) => entry.id)).not.toContain('e2');
  });
});

describe('WorkspaceClassifiers', () => {
  function source(): WorkspaceKnowledgeSource & { versionReads: number; trainings: number; current: number } {
    return {
      versionReads: 0,
      trainings: 0,
      current: 1,
      async version() {
        this.versionReads++;
        return this.current;
      },
      async trainingSet() {
        this.trainings++;
        return { version: this.current, entries: [], examples: [{ locale: 'en', intent: 'sales', text: 'zorbex' }] };
      },
    };
  }

  it('reads a workspace version at most every checkEveryMs, retrains only when it changed, and shares one training between concurrent messages', async () => {
    let now = 0;
    const data = source();
    const classifiers = new WorkspaceClassifiers({ source: data, builtIn: trainedClassifier, checkEveryMs: 5_000, now: () => now });
    const [first, second] = await Promise.all([classifiers.of('w'), classifiers.of('w')]);
    expect(first).toBe(second);
    expect(data.trainings).toBe(1);

    now = 4_999;
    expect(await classifiers.of('w')).toBe(first);
    expect(data.versionReads).toBe(1);

    now = 5_000;
    expect(await classifiers.of('w')).toBe(first);
    expect([data.versionReads, data.trainings]).toEqual([2, 1]);

    data.current = 2;
    now = 10_000;
    const retrained = await classifiers.of('w');
    expect(retrained).not.toBe(first);
    expect(data.trainings).toBe(2);
  });

  it("keeps classifying with the workspace's last classifier (or the built-in one) while its version cannot be read", async () => {
    let now = 0;
    const data = source();
    const classifiers = new WorkspaceClassifiers({ source: data, builtIn: trainedClassifier, checkEveryMs: 1_000, now: () => now });
    const trained = await classifiers.of('w');
    data.version = () => Promise.reject(new Error('connection refused'));
    now = 2_000;
    expect(await classifiers.of('w')).toBe(trained);
    expect(await classifiers.of('never-seen')).toBe(await trainedClassifier());
  });

  it('gives a workspace that added nothing the built-in classifier, trained once per process', async () => {
    const data = source();
    data.current = 0;
    const classifiers = new WorkspaceClassifiers({ source: data, builtIn: trainedClassifier, checkEveryMs: 0 });
    expect(await classifiers.of('w')).toBe(await trainedClassifier());
    expect(data.trainings).toBe(0);
  });
});
