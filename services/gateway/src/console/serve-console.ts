import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build:console` puts the console (dist/console of the workspace). */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '../../../../dist/console');

/**
 * The console's own policy: its scripts and styles come from /console only (no inline code, no
 * eval), and it talks to this gateway only (GraphQL over HTTP and graphql-ws on the same origin).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function consoleHeaders(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  next();
}

/**
 * A path of the single-page app (a view: /console, /console/customers/ana@example.com…), not of a
 * built file: everything the build emits besides index.html is under assets/.
 */
const isViewPath = (path: string): boolean => !path.startsWith('/assets/');

/**
 * Serves the built console at /console: its hashed assets (cached for good), and index.html (never
 * cached) for every view path, so that a view's URL can be reloaded or shared. Without a build it
 * answers 503 saying how to make one.
 */
export function serveConsole(app: NestExpressApplication, directory: string): void {
  const indexHtml = join(directory, 'index.html');
  app.use('/console', consoleHeaders);
  app.useStaticAssets(directory, {
    prefix: '/console',
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders(response, path) {
      response.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use('/console', (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !isViewPath(request.path)) return next();
    if (!existsSync(indexHtml)) {
      response
        .status(503)
        .type('text/plain')
        .send(`The console is not built: run \`npm run build:console\` (it writes ${directory}), or set CONSOLE_DIR to a built console.\n`);
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(indexHtml);
  });
}
