// Builds the console (apps/console) into dist/console when it is missing or older than its sources,
// for `npm start`, the browser tests and the gateway image. `node tools/console-build.mjs [--force]`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspaceRoot } from './bootstrap.mjs';

export const consoleSource = join(workspaceRoot, 'apps', 'console');
export const consoleOutput = join(workspaceRoot, 'dist', 'console');

function newestModification(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestModification(join(path, name))));
}

/** Whether dist/console is missing or older than a source of the console (or the lock file). */
export function consoleBuildIsStale() {
  const built = join(consoleOutput, 'index.html');
  if (!existsSync(built)) return true;
  const inputs = ['index.html', 'vite.config.mts', 'src'].map((name) => join(consoleSource, name));
  inputs.push(join(workspaceRoot, 'package-lock.json'));
  return Math.max(...inputs.map(newestModification)) > statSync(built).mtimeMs;
}

/** Builds the console unless an up-to-date build is there (or always, with force); resolves to whether it built. */
export async function ensureConsoleBuilt({ force = false } = {}) {
  if (!force && !consoleBuildIsStale()) return false;
  const began = Date.now();
  console.error('[continuum] building the console (apps/console → dist/console)…');
  const { build } = await import('vite');
  // Always a production build: Vite takes the mode of React and its plugins from NODE_ENV, and a
  // build started under a test runner (NODE_ENV=test, e.g. by a browser test) made React's
  // development build, half again as large, which then stayed in dist/console for npm start.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(consoleSource, 'vite.config.mts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  console.error(`[continuum] console built in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureConsoleBuilt({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
