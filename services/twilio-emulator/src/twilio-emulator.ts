import { EMULATOR_FROM_NUMBER } from '@continuum/config';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelOf, isRcsAgent, isValidRecipient } from './addresses';
import { handleEmulatorApi } from './emulator-api';
import { jsonLineLogger, type EmulatorLogger } from './emulator-logger';
import { HttpError, sendJson } from './http-io';
import { handleMessagesApi } from './messages-api';
import { MessageStore, type EmulatedMessage } from './message-store';
import {
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_RCS_AGENT,
  MESSAGING_SERVICE_SID,
  normaliseRcsAgent,
  type MessagingService,
} from './messaging-service';
import { DEFAULT_SENDGRID_API_KEY, handleSendGridApi } from './sendgrid-api';
import { EmailStore, type EmulatedEmail } from './sendgrid-email-store';
import { SendGridApiError, sendSendGridError } from './sendgrid-error';
import { SendGridEvents } from './sendgrid-events';
import { createEventWebhookSigningKey } from './sendgrid-signing-key';
import { StatusProgression } from './status-progression';
import { sendTwilioError, twilioError } from './twilio-error';
import { DEFAULT_WHATSAPP_CONTENT, validateWhatsAppContent } from './whatsapp-content';
import { WhatsAppSessions } from './whatsapp-sessions';

export interface EmulatorSettings {
  accountSid: string;
  authToken: string;
  /** Where `POST /__emulator/inbound` posts incoming messages unless the request names a `url`. */
  inboundWebhookUrl?: string;
  /** Where `POST /__emulator/inbound-email` posts customers' emails (SendGrid Inbound Parse) unless the request names a `url`. */
  inboundEmailWebhookUrl?: string;
  /** Delay between status changes (queued → sent → delivered), and between SendGrid's processed and its outcome. */
  statusDelayMs: number;
  /** Approved WhatsApp Content Templates, SID (`HX…`) → text with `{{1}}` placeholders; replaces DEFAULT_WHATSAPP_CONTENT. */
  whatsappContent?: Readonly<Record<string, string>>;
  /** SID of the account's one Messaging Service (default DEFAULT_MESSAGING_SERVICE_SID). */
  messagingServiceSid?: string;
  /** RCS agent of that service's sender pool, `rcs:<id>` or `<id>` (default DEFAULT_RCS_AGENT). */
  rcsAgent?: string;
  /** API key SendGrid's Mail Send accepts as `Authorization: Bearer <key>` (default DEFAULT_SENDGRID_API_KEY). */
  sendgridApiKey?: string;
  /** Where SendGrid Event Webhook arrays are posted; unset: events are only recorded. */
  sendgridEventWebhookUrl?: string;
  /** PEM EC P-256 private key that signs the Event Webhook; unset: a key pair is generated at start. */
  sendgridEventWebhookPrivateKey?: string;
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
  /** Snapshot of every email accepted by SendGrid's Mail Send, with its events and webhook deliveries. */
  emails(): EmulatedEmail[];
  /**
   * Opens (or extends) a customer's WhatsApp 24-hour window as an inbound message at `at` (default now) would,
   * without posting a webhook: for test beds that store inbound messages themselves. `from` is the customer's
   * `whatsapp:+E164`, `to` our `whatsapp:+E164` sender.
   */
  recordWhatsAppInbound(message: { from: string; to: string; at?: Date }): void;
  /** Resolves once every status callback and Event Webhook post started so far has been delivered or given up. */
  callbacksSettled(): Promise<void>;
  /** The account's Messaging Service: its SID and its sender pool (RCS agent, then the SMS number). */
  readonly messagingService: Readonly<MessagingService>;
  /** Base64 DER (SubjectPublicKeyInfo) of the ECDSA key that signs the SendGrid Event Webhook, as SendGrid shows it. */
  readonly sendgridEventWebhookPublicKey: string;
}

/** A Twilio-compatible Messages API on loopback, with the emulator's own helpers under /__emulator. */
export function createTwilioEmulator(settings: EmulatorSettings, options: EmulatorOptions = {}): TwilioEmulator {
  const logger = options.logger ?? jsonLineLogger;
  const callbackTimeoutMs = options.callbackTimeoutMs ?? 5000;
  const messagingService = messagingServiceFrom(settings);
  const contentTemplates = validateWhatsAppContent(settings.whatsappContent ?? DEFAULT_WHATSAPP_CONTENT);
  const signingKey = createEventWebhookSigningKey(settings.sendgridEventWebhookPrivateKey);
  const store = new MessageStore();
  const whatsAppSessions = new WhatsAppSessions();
  const progression = new StatusProgression({
    authToken: settings.authToken,
    statusDelayMs: settings.statusDelayMs,
    callbackTimeoutMs,
    logger,
  });
  const emails = new EmailStore();
  const sendGridEvents = new SendGridEvents({
    webhookUrl: settings.sendgridEventWebhookUrl,
    signingKey,
    statusDelayMs: settings.statusDelayMs,
    callbackTimeoutMs,
    logger,
  });
  let closing = new AbortController();

  const messagesContext = {
    accountSid: settings.accountSid,
    authToken: settings.authToken,
    account: { contentTemplates, messagingService },
    whatsAppSessions,
    store,
    progression,
  };
  const sendGridContext = { apiKey: settings.sendgridApiKey ?? DEFAULT_SENDGRID_API_KEY, emails, events: sendGridEvents };
  const emulatorContext = {
    ...messagesContext,
    emails,
    sendGridEvents,
    sendGridEventWebhookPublicKey: signingKey.publicKey,
    inboundWebhookUrl: settings.inboundWebhookUrl,
    inboundEmailWebhookUrl: settings.inboundEmailWebhookUrl,
    callbackTimeoutMs,
    signal: () => closing.signal,
    logger,
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const twilioRoute = url.pathname.startsWith('/2010-04-01/');
    try {
      if (twilioRoute) await handleMessagesApi(req, res, url, messagesContext);
      else if (url.pathname.startsWith('/v3/')) await handleSendGridApi(req, res, url, sendGridContext);
      else if (url.pathname.startsWith('/__emulator/')) await handleEmulatorApi(req, res, url, emulatorContext);
      else throw twilioError(20404, `The requested resource ${url.pathname} was not found`, 404);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof SendGridApiError) {
        sendSendGridError(res, error);
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
      sendGridEvents.cancelAll();
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
    emails() {
      return structuredClone(emails.all());
    },
    recordWhatsAppInbound({ from, to, at = new Date() }) {
      if (channelOf(from) !== 'whatsapp' || channelOf(to) !== 'whatsapp' || !isValidRecipient(from) || !isValidRecipient(to)) {
        throw new Error(`recordWhatsAppInbound takes whatsapp:+E164 addresses, got from '${from}' and to '${to}'`);
      }
      if (Number.isNaN(at.getTime())) throw new Error('recordWhatsAppInbound: at is an invalid date');
      whatsAppSessions.recordInbound(from, to, at);
    },
    async callbacksSettled() {
      await Promise.all([progression.settled(), sendGridEvents.settled()]);
    },
    messagingService,
    sendgridEventWebhookPublicKey: signingKey.publicKey,
  };
}

function messagingServiceFrom(settings: EmulatorSettings): MessagingService {
  const sid = settings.messagingServiceSid ?? DEFAULT_MESSAGING_SERVICE_SID;
  if (!MESSAGING_SERVICE_SID.test(sid)) throw new Error(`messagingServiceSid must be MG followed by 32 hex digits, got '${sid}'`);
  const rcsSender = normaliseRcsAgent(settings.rcsAgent ?? DEFAULT_RCS_AGENT);
  if (!isRcsAgent(rcsSender)) throw new Error(`rcsAgent must be an RCS agent id such as continuum_agent, got '${settings.rcsAgent}'`);
  return { sid, rcsSender, smsSender: EMULATOR_FROM_NUMBER };
}
