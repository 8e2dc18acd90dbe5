import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for the codec server only: the Temporal Web UI (another origin) calls `/codec/…` from the
 * operator's browser, with `Content-Type: application/json`, `X-Namespace` and possibly
 * `Authorization`, so its preflight must be answered for the origins configured, and no other.
 */
export function codecCors(origins: string[]): RequestHandler {
  return cors({
    origin: origins,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization', 'x-api-key'],
    exposedHeaders: ['x-continuum-refused', 'x-continuum-erased', 'x-continuum-undecryptable'],
    credentials: true,
    maxAge: 600,
  });
}
