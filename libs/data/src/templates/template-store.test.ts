import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { DEFAULT_WORKSPACE_ID, TemplateStore } from '../index';

describe('TemplateStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let templates: TemplateStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    templates = new TemplateStore(db.dataSource);
  });
  afterAll(async () => {
    await db?.teardown();
  });

  const publish = (locale: string, body: string) =>
    templates.publish(DEFAULT_WORKSPACE_ID, { name: 'welcome', locale, channel: 'sms', body, createdBy: 'test' });

  it('adds a version per new body, keeps the old ones and uses the latest', async () => {
    expect((await publish('pt', 'Olá v1')).template).toMatchObject({ version: 1 });
    const second = await publish('pt', 'Olá v2');
    expect(second).toMatchObject({ created: true, template: { version: 2, body: 'Olá v2', createdBy: 'test' } });
    expect(await publish('pt', 'Olá v2')).toMatchObject({ created: false, template: { version: 2 } });
    expect((await templates.history(DEFAULT_WORKSPACE_ID, 'welcome', 'pt')).map((t) => [t.version, t.body])).toEqual([
      [2, 'Olá v2'],
      [1, 'Olá v1'],
    ]);
    expect(await templates.latestFor(DEFAULT_WORKSPACE_ID, 'welcome', ['pt-BR', 'pt', 'default'])).toMatchObject({ locale: 'pt', version: 2 });
  });

  it('resolves locales in the order given, and lists the latest version per locale', async () => {
    await publish('default', 'Hello');
    await publish('pt-BR', 'Oi');
    expect(await templates.latestFor(DEFAULT_WORKSPACE_ID, 'welcome', ['pt-BR', 'pt', 'default'])).toMatchObject({ locale: 'pt-BR', body: 'Oi' });
    expect(await templates.latestFor(DEFAULT_WORKSPACE_ID, 'welcome', ['fr-FR', 'fr', 'default'])).toMatchObject({ locale: 'default' });
    expect(await templates.latestFor(DEFAULT_WORKSPACE_ID, 'other', ['default'])).toBeNull();
    expect((await templates.latest(DEFAULT_WORKSPACE_ID, 'welcome')).map((t) => [t.locale, t.version])).toEqual([
      ['default', 1],
      ['pt', 2],
      ['pt-BR', 1],
    ]);
  });

  it('refuses malformed names and locales', async () => {
    await expect(templates.publish(DEFAULT_WORKSPACE_ID, { name: 'Bad Name', locale: 'default', channel: 'sms', body: 'x', createdBy: 't' })).rejects.toThrow(/check constraint/);
    await expect(publish('pt_br', 'x')).rejects.toThrow(/check constraint/);
  });

  it('pages the templates by (name, locale) and the versions newest first, in either direction, and finds them by key', async () => {
    const ws = DEFAULT_WORKSPACE_ID;
    for (const locale of ['de', 'en', 'fr']) await templates.publish(ws, { name: 'paged', locale, channel: 'sms', body: `Hi ${locale}`, createdBy: 't' });
    await templates.publish(ws, { name: 'paged', locale: 'en', channel: 'sms', body: 'Hi en 2', createdBy: 't' });
    const keys = (rows: Array<{ locale: string; version: number }>) => rows.map((row) => `${row.locale}:${row.version}`);
    expect(keys(await templates.latestPage(ws, 'paged', { limit: 2 }))).toEqual(['de:1', 'en:2', 'fr:1']);
    expect(keys(await templates.latestPage(ws, 'paged', { limit: 5, after: { name: 'paged', locale: 'de' } }))).toEqual(['en:2', 'fr:1']);
    // Backward: the rows nearest the cursor first (the caller puts them back in order).
    expect(keys(await templates.latestPage(ws, 'paged', { limit: 5, backward: true, before: { name: 'paged', locale: 'fr' } }))).toEqual(['en:2', 'de:1']);
    expect(await templates.countTemplates(ws, 'paged')).toBe(3);
    expect((await templates.versionsPage(ws, 'paged', 'en', { limit: 1 })).map((row) => row.version)).toEqual([2, 1]);
    expect((await templates.versionsPage(ws, 'paged', 'en', { limit: 5, after: 2 })).map((row) => row.version)).toEqual([1]);
    expect((await templates.versionsPage(ws, 'paged', 'en', { limit: 5, backward: true, before: 1 })).map((row) => row.version)).toEqual([2]);
    expect(await templates.countVersions(ws, 'paged', 'en')).toBe(2);
    expect(keys((await templates.latestOf(ws, [{ name: 'paged', locale: 'fr' }, { name: 'paged', locale: 'it' }, { name: 'paged', locale: 'en' }])).map((row) => row ?? { locale: '-', version: 0 }))).toEqual([
      'fr:1',
      '-:0',
      'en:2',
    ]);
    expect(await templates.version(ws, 'paged', 'en', 1)).toMatchObject({ body: 'Hi en' });
    expect(await templates.version(ws, 'paged', 'en', 3)).toBeNull();
  });
});
