// Shared by `npm start` and `npm test`: installs dependencies when missing, then runs a TypeScript
// entry point through the workspace's SWC register hook. Plain JS: it must run before npm install.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export function ensureDependencies() {
  const marker = join(workspaceRoot, 'node_modules', '.package-lock.json');
  const lock = join(workspaceRoot, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // npm install, not npm ci: the lock omits optional per-platform packages the registry here lacks,
  // which npm ci treats as out of sync; install resolves to the same versions and leaves it unchanged.
  console.error('[continuum] installing dependencies (npm install)…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: workspaceRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[continuum] npm install failed; fix the error above and run the command again');
    process.exit(result.status ?? 1);
  }
}

export function runTypeScript(entry) {
  const require = createRequire(import.meta.url);
  require(join(workspaceRoot, 'tools', 'register.cjs'));
  require(join(workspaceRoot, entry));
}
