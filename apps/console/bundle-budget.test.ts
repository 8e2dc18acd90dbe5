import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ENTRY_GZIP_BUDGET_BYTES, measureConsoleBundle } from '../../tools/console-bundle';

const workspaceRoot = resolve(__dirname, '..', '..');

// What every first visit to the console downloads before a view shows: the entry script. Sizes, not
// timings, so the check is deterministic; `npm run bench -- console` measures load times.
describe('the console bundle', () => {
  it(`keeps the entry script within its budget of ${ENTRY_GZIP_BUDGET_BYTES / 1024} kB gzipped; the views load as chunks of their own`, { timeout: 180_000 }, async () => {
    await promisify(execFile)(process.execPath, [join(workspaceRoot, 'tools/console-build.mjs')], { cwd: workspaceRoot });
    const bundle = measureConsoleBundle(join(workspaceRoot, 'dist', 'console'));
    expect(bundle.entry.gzipBytes, `entry ${bundle.entry.file}: ${(bundle.entry.gzipBytes / 1024).toFixed(1)} kB gzipped`).toBeLessThanOrEqual(ENTRY_GZIP_BUDGET_BYTES);
    // Code-split: each view is a chunk of its own, loaded when it is opened.
    const chunkNames = bundle.chunks.map((chunk) => chunk.file.replace(/^assets\//, '').replace(/-[A-Za-z0-9_-]{8}\.js$/, ''));
    expect(chunkNames).toEqual(expect.arrayContaining(['journeys-page', 'journey-page', 'search-page', 'customer-page', 'instance-page', 'inbox-page', 'broadcasts-page', 'templates-page']));
  });
});
