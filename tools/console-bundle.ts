import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of the console's build: its size as served and gzipped (level 9, as a server would send it). */
export interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The console's build: the entry (the script index.html loads first), its CSS, and every chunk. */
export interface ConsoleBundle {
  entry: BundleFile;
  css: BundleFile[];
  chunks: BundleFile[];
  /** Everything under assets/, for the "whole console" line of a report. */
  total: { bytes: number; gzipBytes: number };
}

/** The entry script is the module script in index.html; the rest are the chunks it (lazily) imports. */
export function measureConsoleBundle(distDir: string): ConsoleBundle {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const entryPath = /<script[^>]+type="module"[^>]+src="\/console\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!entryPath) throw new Error(`${join(distDir, 'index.html')} loads no module script under /console/assets`);
  const measure = (file: string): BundleFile => {
    const content = readFileSync(join(distDir, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  };
  const assets = readdirSync(join(distDir, 'assets')).map((name) => `assets/${name}`);
  const files = assets.map(measure);
  return {
    entry: measure(entryPath),
    css: files.filter((each) => each.file.endsWith('.css')),
    chunks: files.filter((each) => each.file.endsWith('.js') && each.file !== entryPath).sort((a, b) => b.bytes - a.bytes),
    total: { bytes: files.reduce((sum, each) => sum + each.bytes, 0), gzipBytes: files.reduce((sum, each) => sum + each.gzipBytes, 0) },
  };
}

/**
 * The budget of the entry script, gzipped: what every first visit downloads before any view shows
 * (React, React Router, urql with graphcache, graphql-ws; 121.6 kB when set, the views being chunks).
 */
export const ENTRY_GZIP_BUDGET_BYTES = 130 * 1024;
