import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBasicAuth, safeEqual } from './basic-auth';
import { parseCreateMessageInput, type AccountResources } from './create-message-input';
import { planDelivery } from './delivery-plan';
import { HttpError, mediaType, parseForm, readBody, sendJson } from './http-io';
import { messagePage } from './message-page';
import { toMessageResource } from './message-resource';
import type { EmulatedMessage, MessageStore } from './message-store';
import { countSegments } from './segments';
import { newSid } from './sid';
import type { StatusProgression } from './status-progression';
import { twilioError } from './twilio-error';
import type { WhatsAppSessions } from './whatsapp-sessions';

export interface MessagesApiContext {
  accountSid: string;
  authToken: string;
  account: AccountResources;
  whatsAppSessions: WhatsAppSessions;
  store: MessageStore;
  progression: StatusProgression;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MESSAGE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;

/** Twilio's 2010-04-01 Messages API; throws HttpError (rendered as Twilio error JSON by the caller). */
export async function handleMessagesApi(req: IncomingMessage, res: ServerResponse, url: URL, ctx: MessagesApiContext): Promise<void> {
  const pathAccountSid = authenticate(req, url, ctx);
  const collection = MESSAGES_PATH.exec(url.pathname);
  if (collection) {
    if (req.method === 'POST') return createMessage(req, res, ctx, pathAccountSid);
    if (req.method === 'GET') return sendJson(res, 200, messagePage(ctx.accountSid, ctx.store.all(), url.searchParams));
    throw methodNotAllowed(req, url);
  }
  const single = MESSAGE_PATH.exec(url.pathname);
  if (single) {
    if (req.method !== 'GET') throw methodNotAllowed(req, url);
    const message = ctx.store.get(single[2]!);
    if (!message) throw notFound(url);
    return sendJson(res, 200, toMessageResource(message));
  }
  throw notFound(url);
}

/** HTTP Basic with AccountSid:AuthToken, and the account in the path must be that account. */
function authenticate(req: IncomingMessage, url: URL, ctx: MessagesApiContext): string {
  const credentials = readBasicAuth(req);
  const pathAccountSid = /^\/2010-04-01\/Accounts\/([^/]+)/.exec(url.pathname)?.[1] ?? '';
  const valid =
    credentials !== null &&
    safeEqual(credentials.username, ctx.accountSid) &&
    safeEqual(credentials.password, ctx.authToken) &&
    pathAccountSid === ctx.accountSid;
  if (!valid) throw twilioError(20003, 'Authenticate', 401);
  return pathAccountSid;
}

async function createMessage(req: IncomingMessage, res: ServerResponse, ctx: MessagesApiContext, accountSid: string): Promise<void> {
  const raw = await readBody(req);
  const type = mediaType(req);
  if (raw.trim() !== '' && type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(400, `Twilio's API takes application/x-www-form-urlencoded bodies, got '${type || 'no content type'}'`);
  }
  const input = parseCreateMessageInput(parseForm(raw), ctx.account);
  const plan = planDelivery(input, {
    messagingService: ctx.account.messagingService,
    whatsAppSessions: ctx.whatsAppSessions,
    now: Date.now(),
  });
  const now = new Date().toISOString();
  const message: EmulatedMessage = {
    sid: newSid('SM'),
    accountSid,
    direction: 'outbound-api',
    to: input.to,
    from: input.from,
    messagingServiceSid: input.messagingServiceSid,
    body: input.body,
    mediaUrls: input.mediaUrls,
    contentSid: input.contentSid,
    contentVariables: input.contentVariables,
    numSegments: countSegments(input.body),
    status: 'queued',
    errorCode: null,
    errorMessage: null,
    statusCallback: input.statusCallback,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
    history: [{ status: 'queued', at: now, errorCode: null }],
    callbacks: [],
  };
  ctx.store.add(message);
  sendJson(res, 201, toMessageResource(message));
  ctx.progression.start(message, plan);
}

function notFound(url: URL): HttpError {
  return twilioError(20404, `The requested resource ${url.pathname} was not found`, 404);
}

function methodNotAllowed(req: IncomingMessage, url: URL): HttpError {
  return twilioError(20004, `Method ${req.method ?? ''} not allowed on ${url.pathname}`, 405);
}
