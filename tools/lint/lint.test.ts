import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

// Lint is part of the suite: the whole workspace must be clean, and the rules that keep workflow
// code deterministic and layers apart must actually fire.
const root = join(__dirname, '..', '..');
const probes: string[] = [];

async function lintProbe(relativePath: string, source: string): Promise<string[]> {
  const file = join(root, relativePath);
  probes.push(file);
  writeFileSync(file, source);
  const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

// Linting the whole workspace takes about 75 s alone on 2 cores and runs beside the chaos program and
// the broadcast and storm tests: the timeout only bounds a hang, it measures nothing.
describe('lint', { timeout: 600_000 }, () => {
  afterAll(() => {
    for (const file of probes) rmSync(file, { force: true });
  });

  it('passes on the whole workspace', async () => {
    const results = await new ESLint({ cwd: root }).lintFiles(['.']);
    const problems = results.flatMap((result) =>
      result.messages.filter((message) => message.severity === 2).map((message) => `${result.filePath}:${message.line} ${message.ruleId} ${message.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('bars workflow code from Node built-ins, drivers and non-journey libraries', async () => {
    const messages = await lintProbe(
      'workflows/journeys/src/lint-probe.ts',
      `import { readFileSync } from 'node:fs';\nimport { DataSource } from 'typeorm';\nimport { ProfileStore } from '@continuum/data';\nexport const probe = [readFileSync, DataSource, ProfileStore];\n`,
    );
    expect(messages).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*'node:fs'.*workflow sandbox/),
      expect.stringMatching(/^@nx\/enforce-module-boundaries: .*not allowed to import "typeorm"/),
      expect.stringMatching(/^@nx\/enforce-module-boundaries: .*can only depend on libs tagged with "lib:journey", "lib:contracts"/),
    ]);
  });

  it('bars non-deterministic globals in workflow code', async () => {
    const messages = await lintProbe('workflows/journeys/src/lint-probe-globals.ts', `export const later = () => setTimeout(() => undefined, 10);\n`);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-globals: .*sleep\(\)/)]);
  });

  it('flags floating promises', async () => {
    const messages = await lintProbe('libs/domain/src/lint-probe.ts', `async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n`);
    expect(messages).toContainEqual(expect.stringMatching(/^@typescript-eslint\/no-floating-promises/));
  });

  it('keeps the gateway away from workflow implementations and Twilio', async () => {
    const messages = await lintProbe(
      'services/gateway/src/lint-probe.ts',
      `import { abandonedCart } from '@continuum/journeys';\nimport twilio from 'twilio';\nexport const probe = [abandonedCart, twilio];\n`,
    );
    expect(messages.filter((message) => message.startsWith('@nx/enforce-module-boundaries'))).toHaveLength(2);
  });

  it('forbids a loop between gateway feature folders', async () => {
    // common/ is imported by events/, so common/ importing events/ closes a loop.
    const messages = await lintProbe(
      'services/gateway/src/common/lint-probe.ts',
      `import { EventsService } from '../events/events.service';\nexport const probe = EventsService;\n`,
    );
    expect(messages).toEqual([expect.stringMatching(/^continuum\/no-folder-cycles: .*common → events → common/)]);
  });

  it('keeps the console to the GraphQL API: no workspace library, no server package, and the rules of hooks', async () => {
    const messages = await lintProbe(
      'apps/console/src/lint-probe.tsx',
      `import { useState } from 'react';\nimport { Pool } from 'pg';\nimport { DEFAULT_WORKSPACE_ID } from '@continuum/data';\nexport const probe = [Pool, DEFAULT_WORKSPACE_ID];\nexport function Probe({ on }: { on: boolean }) {\n  if (on) useState(1);\n  return null;\n}\n`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^@nx\/enforce-module-boundaries: .*"scope:console" is not allowed to import "pg"/),
        expect.stringMatching(/^@nx\/enforce-module-boundaries: .*"scope:console" cannot depend on any libs/),
        expect.stringMatching(/^react-hooks\/rules-of-hooks: React Hook "useState" is called conditionally/),
      ]),
    );
  });

  it('checks the test harness and tools like any project', async () => {
    const harness = await lintProbe('libs/testing/src/lint-probe.ts', `import { abandonedCart } from '@continuum/journeys';\nexport const probe = abandonedCart;\n`);
    expect(harness).toEqual([expect.stringMatching(/^@nx\/enforce-module-boundaries: .*"type:test-harness" can only depend on libs tagged with/)]);
    const tool = await lintProbe('tools/lint-probe.ts', `import { GatewayModule } from '../services/gateway/src/gateway.module';\nexport const probe = GatewayModule;\n`);
    expect(tool).toEqual([expect.stringMatching(/^@nx\/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path/)]);
  });
});
