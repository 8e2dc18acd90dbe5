import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleEmulatorApi } from './emulator-api';
import { jsonLineLogger, type EmulatorLogger } from './emulator-logger';
import { HttpError, sendJson } from './http-io';
import { handleMessagesApi } from './messages-api';
import { MessageStore, type EmulatedMessage } from './message-store';
import { StatusProgression } from './status-progression';
import { sendTwilioError, twilioError } from './twilio-error';

export interface EmulatorSettings {
  accountSid: string;
  authToken: string;
  /** Where `POST /__emulator/inbound` posts incoming messages unless the request names a `url`. */
  inboundWebhookUrl?: string;
  /** Delay between status changes (queued → sent → delivered). */
  statusDelayMs: number;
}

export interface EmulatorOptions {
  logger?: EmulatorLogger;
  /** Per-attempt timeout of status callbacks and inbound webhooks. */
  callbackTimeoutMs?: number;
}

export interface TwilioEmulator {
  /** Port 0 picks a free port; the returned url is the base URL for `apiBaseUrl`. */
  listen(port: number, host?: string): Promise<{ url: string }>;
  /** Stops listening, cancels pending status changes and callbacks, drops open connections. */
  close(): Promise<void>;
  /** Snapshot of every outbound message with its status history and callback deliveries. */
  messages(): EmulatedMessage[];
  /** Resolves once every status callback started so far has been delivered or given up. */
  callbacksSettled(): Promise<void>;
}

/** A Twilio-compatible Messages API on loopback, with the emulator's own helpers under /__emulator. */
export function createTwilioEmulator(settings: EmulatorSettings, options: EmulatorOptions = {}): TwilioEmulator {
  const logger = options.logger ?? jsonLineLogger;
  const callbackTimeoutMs = options.callbackTimeoutMs ?? 5000;
  const store = new MessageStore();
  const progression = new StatusProgression({
    authToken: settings.authToken,
    statusDelayMs: settings.statusDelayMs,
    callbackTimeoutMs,
    logger,
  });
  let closing = new AbortController();

  const messagesContext = { accountSid: settings.accountSid, authToken: settings.authToken, store, progression };
  const emulatorContext = {
    ...messagesContext,
    inboundWebhookUrl: settings.inboundWebhookUrl,
    callbackTimeoutMs,
    signal: () => closing.signal,
    logger,
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const twilioRoute = url.pathname.startsWith('/2010-04-01/');
    try {
      if (twilioRoute) await handleMessagesApi(req, res, url, messagesContext);
      else if (url.pathname.startsWith('/__emulator/')) await handleEmulatorApi(req, res, url, emulatorContext);
      else throw twilioError(20404, `The requested resource ${url.pathname} was not found`, 404);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        if (twilioRoute || error.code !== null) sendTwilioError(res, error);
        else sendJson(res, error.status, { error: error.message });
        return;
      }
      logger('error', 'request failed', { method: req.method, path: url.pathname, error: String(error) });
      sendJson(res, 500, { error: 'Internal emulator error' });
    }
  }

  const server = createServer((req, res) => void route(req, res));

  return {
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        closing = new AbortController();
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const { port: actualPort } = server.address() as AddressInfo;
          const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
          resolve({ url: `http://${urlHost}:${actualPort}` });
        });
      });
    },
    async close() {
      closing.abort();
      progression.cancelAll();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
    messages() {
      return structuredClone(store.all());
    },
    callbacksSettled() {
      return progression.settled();
    },
  };
}
