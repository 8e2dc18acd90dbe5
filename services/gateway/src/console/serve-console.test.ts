import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { routeOf } from '../observability/gateway-metrics';
import { CONSOLE_CONTENT_SECURITY_POLICY, serveConsole } from './serve-console';

@Module({})
class NothingElseModule {}

/** An Express app of Nest serving `directory` as the console, as the gateway does. */
async function serving(directory: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = await NestFactory.create<NestExpressApplication>(NothingElseModule, { logger: false });
  serveConsole(app, directory);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

// The serving rules on a stand-in build (the browser test serves the real one).
describe('serveConsole', () => {
  const built = mkdtempSync(join(tmpdir(), 'console-build-'));
  let console: { url: string; close(): Promise<void> };
  let unbuilt: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1.js"></script>');
    writeFileSync(join(built, 'assets', 'app-1.js'), 'export {};');
    console = await serving(built);
    unbuilt = await serving(join(built, 'missing'));
  });

  afterAll(async () => {
    await console?.close();
    await unbuilt?.close();
    rmSync(built, { recursive: true, force: true });
    rmSync(join(built, '..', 'console-secret.txt'), { force: true });
  });

  it.each(['/console', '/console/', '/console/journeys', '/console/customers/ana%40example.test'])('answers the app for the view path %s, never cached', async (path) => {
    const response = await fetch(`${console.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toContain('<title>console</title>');
  });

  it('serves hashed assets with their type, cached for good, and 404 for a missing one', async () => {
    const asset = await fetch(`${console.url}/console/assets/app-1.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${console.url}/console/assets/app-2.js`)).status).toBe(404);
  });

  it('leaves other paths and methods alone', async () => {
    expect((await fetch(`${console.url}/consoles`)).status).toBe(404);
    expect((await fetch(`${console.url}/console/journeys`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${console.url}/graphql`)).headers.get('content-security-policy')).toBeNull();
  });

  it('counts every console request under one metrics route, whatever the path', () => {
    for (const path of ['/console', '/console/journeys?x=1', '/console/assets/app-1.js']) expect(routeOf({ originalUrl: path } as Request)).toBe('/console');
    expect(routeOf({ originalUrl: '/consoles' } as Request)).toBe('unmatched');
  });

  it('answers 503 saying how to build the console when there is no build', async () => {
    const response = await fetch(`${unbuilt.url}/console/journeys`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:console');
  });

  it('never strays outside the build', async () => {
    // A file beside the build, where a path escaping it would land.
    writeFileSync(join(built, '..', 'console-secret.txt'), 'NOT-FOR-BROWSERS');
    for (const path of ['/console/../console-secret.txt', '/console/%2e%2e/console-secret.txt', '/console/assets/%2e%2e%2f%2e%2e%2fconsole-secret.txt']) {
      const response = await fetch(`${console.url}${path}`);
      expect(await response.text(), path).not.toContain('NOT-FOR-BROWSERS');
    }
  });
});
