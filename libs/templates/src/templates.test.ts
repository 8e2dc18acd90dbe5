import { describe, expect, it } from 'vitest';
import { checkTemplateSyntax, localeFallbackChain, renderStoredTemplate, renderTemplate, validateTemplateName, type StoredTemplateSource } from './index';

describe('localeFallbackChain', () => {
  it.each([
    ['pt-BR', ['pt-BR', 'pt', 'default']],
    ['pt_br', ['pt-BR', 'pt', 'default']],
    ['pt', ['pt', 'default']],
    ['zh-Hant-TW', ['zh-Hant-TW', 'zh-Hant', 'zh', 'default']],
    ['default', ['default']],
    [null, ['default']],
    ['not a locale', ['default']],
  ])('%s → %j', (locale, chain) => {
    expect(localeFallbackChain(locale)).toEqual(chain);
  });
});

describe('renderTemplate', () => {
  const template = { name: 'welcome', locale: 'pt', version: 2, body: 'Olá {{ profile.traits.first_name }}!' };

  it('renders against the payload', () => {
    expect(renderTemplate(template, { profile: { traits: { first_name: 'Ana' } } })).toEqual({ ok: true, text: 'Olá Ana!' });
  });

  it('makes a missing variable an error naming it and the template, version and locale', () => {
    expect(renderTemplate(template, { profile: { traits: {} } })).toEqual({
      ok: false,
      message: 'template "welcome" v2 (pt): undefined variable: profile.traits.first_name, line:1, col:8',
    });
  });

  it('makes an unknown filter an error, and lets a template test for an optional value', () => {
    expect(checkTemplateSyntax('{{ x | shout }}')).toMatch(/undefined filter: shout/);
    const optional = { ...template, body: 'Hi{% if profile.traits.first_name %} {{ profile.traits.first_name }}{% endif %}{{ profile.traits.nick | default: "" }}' };
    expect(renderTemplate(optional, { profile: { traits: {} } })).toEqual({ ok: true, text: 'Hi' });
  });

  it('reports syntax errors with their position, and cannot read files', () => {
    expect(checkTemplateSyntax('Hi {% if x %}')).toBe('tag {% if x %} not closed, line:1, col:4');
    expect(checkTemplateSyntax('Hi {{ name }')).toMatch(/output "{{ name }" not closed/);
    expect(checkTemplateSyntax('Hi {{ name }}')).toBeUndefined();
    expect(renderTemplate({ ...template, body: "{% include '/etc/passwd' %}" }, {})).toMatchObject({ ok: false });
  });
});

describe('renderStoredTemplate', () => {
  const versions = [
    { name: 'welcome', locale: 'default', version: 1, channel: 'sms', body: 'Hello {{ name }}' },
    { name: 'welcome', locale: 'pt', version: 3, channel: 'sms', body: 'Olá {{ name }}' },
  ];
  const source: StoredTemplateSource = {
    latestFor: async (_workspace, name, locales) =>
      locales.map((locale) => versions.find((v) => v.name === name && v.locale === locale)).find((v) => v !== undefined) ?? null,
  };

  it('falls back from pt-BR to pt and from fr to default', async () => {
    await expect(renderStoredTemplate(source, { workspaceId: 'w', name: 'welcome', locale: 'pt-BR', payload: { name: 'Ana' } })).resolves.toEqual({
      ok: true,
      text: 'Olá Ana',
      name: 'welcome',
      locale: 'pt',
      version: 3,
      channel: 'sms',
    });
    await expect(renderStoredTemplate(source, { workspaceId: 'w', name: 'welcome', locale: 'fr-FR', payload: { name: 'Jo' } })).resolves.toMatchObject({
      text: 'Hello Jo',
      locale: 'default',
    });
  });

  it('names what was tried when no version matches', async () => {
    await expect(renderStoredTemplate(source, { workspaceId: 'w', name: 'bye', locale: 'pt-BR', payload: {} })).resolves.toEqual({
      ok: false,
      message: 'no template "bye" for locale pt-BR (tried pt-BR, pt, default)',
    });
  });

  it('validates names', () => {
    expect(validateTemplateName('order-shipped.v2')).toBe('order-shipped.v2');
    expect(() => validateTemplateName('Order Shipped')).toThrow(/not a template name/);
  });
});
