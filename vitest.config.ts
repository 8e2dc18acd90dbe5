import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './libs/testing/src/stack/slowest-first-sequencer';

// One test runner for the whole workspace: every Nx project is a Vitest project of the same name.
const root = __dirname;
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const alias = [
  ...Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
    find: new RegExp(`^${name.replace(/[/]/g, '\\/')}$`),
    replacement: resolve(root, target!),
  })),
  // graphql ships ESM and CJS builds; NestJS requires the CJS one, so our code must share it
  // (otherwise `instanceof GraphQLScalarType` fails across the two copies).
  { find: /^graphql$/, replacement: resolve(root, 'node_modules/graphql/index.js') },
];

const projectDirs = [
  ...['apps', 'services', 'workflows', 'activities', 'libs'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, 'project.json')))
      .map((entry) => join(group, entry.name)),
  ),
  'tools',
];

// One PostgreSQL and one Temporal dev server for the run; each file gets its own database and namespace.
const globalSetup = resolve(root, 'libs/testing/src/stack/test-servers.global-setup.ts');
const setupFiles = [resolve(root, 'libs/testing/src/stack/typescript-require.setup.ts'), resolve(root, 'libs/testing/src/stack/test-servers.setup.ts')];
const plugins = () => [swc.vite({ jsc: { target: 'es2022' } })];

// The end-to-end files run a second time, on the real Temporal server on PostgreSQL (engine mode
// `server`, the production topology), in a project of their own: `e2e-server`. The `tools` project
// runs them on the run's engine (the dev server, `npm start`'s default). Those that always run on
// the real server are not repeated. A run that is itself on the real server needs no second pass.
// One file at a time, in one process, after the other files: each starts a whole stack (PostgreSQL,
// the Temporal server, emulator, worker, gateway), and several at once on two busy cores starve.
const SERVER_E2E_PROJECT = 'e2e-server';
const serverE2eProjects =
  process.env['TEMPORAL_ENGINE'] === 'server'
    ? []
    : [
        {
          plugins: plugins(),
          resolve: { alias },
          test: {
            name: SERVER_E2E_PROJECT,
            root,
            include: ['**/*.e2e.test.ts'],
            exclude: [
              '**/node_modules/**',
              '**/.*/**',
              'tools/stack/engine-server.e2e.test.ts',
              'tools/chaos/chaos.e2e.test.ts',
              'tools/deployment/monitoring.e2e.test.ts',
              // Market policy (voice, quiet hours per country) does not depend on the engine, and waits
              // out a quiet-hours window of about four minutes: once, on the run's engine, is enough.
              'tools/stack/markets.e2e.test.ts',
            ],
            env: { TEMPORAL_ENGINE: 'server' },
            pool: 'forks' as const,
            poolOptions: { forks: { singleFork: true } },
            setupFiles,
            testTimeout: 60_000,
            // A stack on the real server first sets up Temporal's schemas on its own PostgreSQL (the
            // SQL tool, some twenty versioned steps): on two busy cores its start can take minutes.
            hookTimeout: 360_000,
          },
        },
      ];

export default defineConfig({
  // The global set-up runs in the root project: it needs the same transforms as the projects.
  plugins: plugins(),
  resolve: { alias },
  test: {
    pool: 'forks',
    // Most test files wait on servers, timers and child processes, not on the CPU: two more workers
    // than cores keep the cores busy while the long load tests run (Vitest's default is one fewer
    // than cores). `--maxWorkers` overrides it; each worker gets a PostgreSQL cluster of its own.
    maxWorkers: availableParallelism() + 2,
    sequence: { sequencer: SlowestFirstSequencer },
    globalSetup,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    projects: projectDirs.map((dir) => {
      const { name } = JSON.parse(readFileSync(join(root, dir, 'project.json'), 'utf8')) as { name: string };
      return {
        plugins: plugins(),
        resolve: { alias },
        test: {
          name,
          root: join(root, dir),
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/.*/**'],
          pool: 'forks' as const,
          setupFiles,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      };
    }).concat(serverE2eProjects),
  },
});
