import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterEach, describe, expect, it } from 'vitest';
import { continuumLintPlugin } from './no-folder-cycles.mjs';

// Each case writes a small tree of folders under src/ and lints it with only this rule on.
let workspace: string | undefined;

function tree(files: Record<string, string>): string {
  workspace = mkdtempSync(join(tmpdir(), 'no-folder-cycles-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), source);
  }
  return workspace;
}

async function lint(cwd: string, files: string[]): Promise<Record<string, string[]>> {
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { continuum: continuumLintPlugin },
        rules: { 'continuum/no-folder-cycles': ['error', { root: 'src', ignore: ['\\.test\\.ts$'] }] },
      },
    ],
  });
  const results = await eslint.lintFiles(files);
  return Object.fromEntries(results.map((result) => [result.filePath.slice(cwd.length + 1), result.messages.map((message) => `${message.line}: ${message.message}`)]));
}

describe('no-folder-cycles', () => {
  afterEach(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    workspace = undefined;
  });

  it('reports both imports of two folders that import each other', async () => {
    const cwd = tree({
      'src/events/router.ts': `import { catalogue } from '../journeys/catalogue';\nexport const route = () => catalogue;\n`,
      'src/journeys/catalogue.ts': `import type { route } from '../events/router';\nexport const catalogue: Array<typeof route> = [];\n`,
    });
    expect(await lint(cwd, ['src/events/router.ts', 'src/journeys/catalogue.ts'])).toEqual({
      'src/events/router.ts': [expect.stringMatching(/^1: Importing '\.\.\/journeys\/catalogue' makes a loop of folders under src: events → journeys → events\./)],
      'src/journeys/catalogue.ts': [expect.stringMatching(/^1: Importing '\.\.\/events\/router' makes a loop of folders under src: journeys → events → journeys\./)],
    });
  });

  it('names every folder of a longer loop, whatever file of a folder closes it', async () => {
    const cwd = tree({
      'src/events/events.ts': `export { journeys } from '../journeys/journeys';\n`,
      'src/journeys/journeys.ts': `import { profiles } from '../profiles/models/profile';\nexport const journeys = profiles;\n`,
      'src/profiles/models/profile.ts': `export const profiles = 1;\n`,
      'src/profiles/profiles.service.ts': `export const load = () => import('../events/events');\n`,
    });
    const messages = await lint(cwd, ['src']);
    expect(messages['src/profiles/profiles.service.ts']).toEqual([expect.stringContaining('profiles → events → journeys → profiles')]);
    expect(messages['src/events/events.ts']).toEqual([expect.stringContaining('events → journeys → profiles → events')]);
    expect(messages['src/profiles/models/profile.ts']).toEqual([]);
  });

  it('accepts a DAG with a shared folder, imports inside a folder and the top-level composition root', async () => {
    const cwd = tree({
      'src/common/page-info.ts': `export class PageInfo {}\n`,
      'src/events/events.ts': `import { PageInfo } from '../common/page-info';\nimport { journeys } from '../journeys/journeys';\nexport const events = [PageInfo, journeys];\n`,
      'src/journeys/journeys.ts': `import { PageInfo } from '../common/page-info';\nimport { local } from './local';\nexport const journeys = [PageInfo, local];\n`,
      'src/journeys/local.ts': `export const local = 1;\n`,
      'src/app.module.ts': `import { events } from './events/events';\nexport const app = events;\n`,
    });
    const messages = await lint(cwd, ['src']);
    expect(Object.values(messages).flat()).toEqual([]);
  });

  it('leaves tests out of the graph: a test that reaches back makes no loop', async () => {
    const cwd = tree({
      'src/events/events.ts': `import { journeys } from '../journeys/journeys';\nexport const events = journeys;\n`,
      'src/journeys/journeys.ts': `export const journeys = 1;\n`,
      'src/journeys/journeys.test.ts': `import { events } from '../events/events';\nexport const probe = events;\n`,
    });
    const messages = await lint(cwd, ['src']);
    expect(Object.values(messages).flat()).toEqual([]);
  });
});
