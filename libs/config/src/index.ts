import { z } from 'zod';
import { CHANNELS, REGION_TIME_ZONES, globalPolicyFromEnv, isValidTimeZone, parseChannelDefaults, parseFrequencyCaps, parseQuietHours, type PolicyLayerDocument } from '@continuum/domain';
import { parseAllowedNetworks } from '@continuum/egress';

/**
 * All configuration is declared here once, typed, validated and described.
 * Each service reads only the schema it needs.
 */

// 0 asks the OS for a free port (tests).
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const temporalConfigSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233').describe('Temporal frontend host:port'),
  TEMPORAL_NAMESPACE: z.string().default('default').describe('Temporal namespace of every journey'),
  TEMPORAL_TASK_QUEUE: z.string().default('journeys').describe('Task queue the worker polls'),
  CONTINUUM_ROOT_KEY: optionalString
    .refine((value) => value === undefined || Buffer.from(value, 'base64').length === 32, 'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)')
    .describe(
      'Root key of payload encryption (32 bytes, base64): every payload Continuum hands Temporal is encrypted under its customer\'s data key (docs/security.md); the same key in the gateway and the worker; unset: payloads are stored in clear (npm start generates one in .continuum/)',
    ),
  CONTINUUM_PREVIOUS_ROOT_KEYS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((key) => key.trim()).filter((key) => key !== ''))
    .refine((keys) => keys.every((key) => Buffer.from(key, 'base64').length === 32), 'each must be 32 bytes in base64')
    .describe('During a root key rotation: the root keys being replaced, comma-separated; workspace keys wrapped by them still open until `npm run admin -- rotate-root-key` re-wraps them (docs/security.md)'),
});

const HOUR_MS = 3_600_000;

/** A retention such as `168h` (Temporal's own notation, as in docker-compose) or `7d`, in milliseconds. */
export function parseRetention(value: string): number {
  const match = /^\s*(\d+)\s*(h|d)\s*$/i.exec(value);
  if (!match) throw new Error(`must be whole hours or days such as "168h" or "7d", got "${value}"`);
  const ms = Number(match[1]) * (match[2]!.toLowerCase() === 'd' ? 24 : 1) * HOUR_MS;
  if (ms < 24 * HOUR_MS) throw new Error(`must be at least 24h (Temporal's shortest retention), got "${value}"`);
  return ms;
}

/**
 * Which Temporal `npm start` and the test stack run: the CLI's dev server (one process on SQLite)
 * or the real Temporal server persisting to PostgreSQL, as a production cluster does.
 */
export const temporalEngineConfigSchema = z.object({
  TEMPORAL_ENGINE: z
    .enum(['dev', 'server'])
    .default('dev')
    .describe(
      '`dev`: `temporal server start-dev` (SQLite file in the data directory); `server`: the real Temporal server on PostgreSQL (databases temporal and temporal_visibility), with the Web UI server in front',
    ),
  TEMPORAL_HISTORY_SHARDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(16_384)
    .default(4)
    .describe('History shards of the real server; fixed when its `temporal` database is first used (another number later refuses to start)'),
  TEMPORAL_NAMESPACE_RETENTION: z
    .string()
    .default('168h')
    .superRefine((value, ctx) => {
      try {
        parseRetention(value);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    })
    .transform((value) => parseRetention(value))
    .describe('How long the real server keeps closed workflows of the namespace it creates, e.g. `168h` or `7d` (at least 24h)'),
});

export const databaseConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .describe('PostgreSQL connection URL (npm start embeds PostgreSQL when unset)'),
});

export const twilioConfigSchema = z.object({
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits').describe('Twilio account SID'),
  TWILIO_AUTH_TOKEN: z.string().min(1).describe('Twilio auth token (also signs webhooks)'),
  TWILIO_API_BASE_URL: optionalString.describe(
    'Base URL of a Twilio-compatible API (the local emulator); unset means the real Twilio',
  ),
  TWILIO_FROM_NUMBER: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number').describe('Sender number for SMS'),
});

/** A comma-separated list of keywords, upper-cased. */
function wordList(defaults: string) {
  return z
    .string()
    .default(defaults)
    .transform((value) =>
      value
        .split(',')
        .map((word) => word.trim().toUpperCase())
        .filter((word) => word !== ''),
    );
}
function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What a URL-encoded value may hold unescaped: no space, comma or semicolon (they separate pairs and properties). */
const ENCODED_VALUE = /^(?:[A-Za-z0-9\-._~!$&'()*+:@/?=]|%[0-9A-Fa-f]{2})+$/;

/**
 * What is wrong with OTEL_EXPORTER_OTLP_HEADERS (the OpenTelemetry format: `key=value` pairs,
 * comma-separated, values URL-encoded), if anything: each value must decode to printable ASCII,
 * the only thing an HTTP header carries.
 */
export function otlpHeadersProblem(text: string): string | undefined {
  for (const pair of text.split(',')) {
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator).trim();
    const encoded = pair.slice(separator + 1).trim();
    if (separator <= 0 || !HEADER_NAME.test(name) || !ENCODED_VALUE.test(encoded)) {
      return `must be comma-separated key=value pairs with URL-encoded values, e.g. authorization=Bearer%20abc; not: ${pair.trim().slice(0, 40)}`;
    }
    let value: string;
    try {
      value = decodeURIComponent(encoded);
    } catch {
      return `the value of ${name} is not valid URL encoding (UTF-8 bytes as %XX)`;
    }
    if (!/^[\x20-\x7e]+$/.test(value)) return `the value of ${name} must decode to printable ASCII, the only thing an HTTP header carries`;
  }
  return undefined;
}

/** An absolute http(s) URL, or unset. */
const optionalHttpUrl = optionalString.refine((value) => value === undefined || isHttpUrl(value), 'must be an http(s) URL, e.g. http://otel-collector:4318');

export const tracingConfigSchema = z.object({
  TRACES_EXPORTER: z
    .enum(['none', 'console', 'otlp'])
    .default('none')
    // Not OTEL_TRACES_EXPORTER: the Temporal dev server (and other OpenTelemetry SDKs) read that one.
    .describe(
      'OpenTelemetry traces: `otlp` sends spans in batches to an OpenTelemetry collector over OTLP/HTTP (OTEL_EXPORTER_OTLP_*); `console` writes each span as a JSON line on stdout (trace and span ids, parent, name); `none` traces nothing',
    ),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl.describe(
    'With TRACES_EXPORTER=otlp: base URL of the collector\'s OTLP/HTTP receiver, spans go to <url>/v1/traces (unset: http://localhost:4318)',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalHttpUrl.describe(
    'With TRACES_EXPORTER=otlp: the full URL spans are posted to, used as is (overrides OTEL_EXPORTER_OTLP_ENDPOINT)',
  ),
  OTEL_EXPORTER_OTLP_HEADERS: optionalString
    .superRefine((value, ctx) => {
      const problem = value === undefined ? undefined : otlpHeadersProblem(value);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    })
    .describe('With TRACES_EXPORTER=otlp: headers sent with every export, e.g. the collector\'s API key: key=value pairs, comma-separated, values URL-encoded'),
});

/**
 * The global layer of the messaging policy (docs/messaging.md, "Policy layers"): read by the worker
 * at send time and by the gateway (inbound keywords, `effectivePolicy`); a workspace's policy,
 * edited through GraphQL, replaces any of these rules for that workspace or one of its countries.
 */
export const messagingPolicyConfigSchema = z.object({
    FREQUENCY_CAPS: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        try {
          parseFrequencyCaps(value, CHANNELS);
        } catch (error) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        }
      })
      .transform((value) => parseFrequencyCaps(value, CHANNELS))
      .describe('Frequency caps per customer, checked atomically at send time, e.g. "sms:3/1 day,*:5/7 days" (empty: none)'),
    QUIET_HOURS: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        try {
          parseQuietHours(value);
        } catch (error) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        }
      })
      .transform((value) => parseQuietHours(value))
      .describe('Quiet hours in the customer\'s local time, e.g. "default=21:00-08:00,BR=20:00-09:00" (empty: none)'),
    QUIET_HOURS_MODE: z.enum(['queue', 'discard']).default('queue').describe('queue: a marketing send waits until quiet hours end; discard: it is skipped'),
    WORKSPACE_TIME_ZONE: z
      .string()
      .default('UTC')
      .refine((value) => isValidTimeZone(value), 'must be an IANA time zone, e.g. Europe/Lisbon')
      .describe('Time zone for customers with neither their own nor a known country'),
    CHANNEL_DEFAULTS: z
      .string()
      .default('BR=whatsapp>sms,US=sms>rcs,*=sms>email')
      .superRefine((value, ctx) => {
        try {
          parseChannelDefaults(value);
        } catch (error) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        }
      })
      .transform((value) => parseChannelDefaults(value))
      .describe('Channel order per ISO country for sends with channel "auto", e.g. "BR=whatsapp>sms,US=sms>rcs,*=sms>email"'),
    INBOUND_STOP_WORDS: wordList('PARAR,SAIR').describe(
      'Inbound keywords that unsubscribe their channel, besides STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT (comma-separated)',
    ),
    INBOUND_START_WORDS: wordList('').describe('Inbound keywords that re-subscribe, besides START, YES and UNSTOP (comma-separated)'),
    INBOUND_HELP_WORDS: wordList('AJUDA').describe('Inbound keywords answered with INBOUND_HELP_REPLY, besides HELP and INFO (comma-separated)'),
    INBOUND_HELP_REPLY: z
      .string()
      .default('Continuum: reply STOP to unsubscribe or START to subscribe again. Msg&data rates may apply.')
      .describe('The answer to HELP'),
});
/** Non-public networks outbound calls may reach (journeys' requests in the worker; webhook endpoint URLs checked by the gateway). */
const egressAllowedNetworks = z
  .string()
  .default('')
  .superRefine((value, ctx) => {
    try {
      parseAllowedNetworks(value);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    }
  })
  .transform((value) => parseAllowedNetworks(value))
  .describe(
    'Non-public networks outbound calls (journeys\' HTTP requests, webhook deliveries) may reach, in CIDR notation, comma-separated (e.g. "127.0.0.1/32,10.20.0.0/16"); empty: public addresses only (loopback, private, link-local, CGNAT, ULA, … refused)',
  );

export const gatewayConfigSchema = databaseConfigSchema
  .merge(temporalConfigSchema)
  .merge(messagingPolicyConfigSchema)
  .merge(twilioConfigSchema.pick({ TWILIO_AUTH_TOKEN: true }))
  .merge(tracingConfigSchema)
  .extend({
    GATEWAY_PORT: port(4000).describe('Port of the GraphQL gateway'),
    GATEWAY_HOST: z.string().default('127.0.0.1').describe('Interface the gateway listens on'),
    EGRESS_ALLOWED_NETWORKS: egressAllowedNetworks,
    GATEWAY_PUBLIC_URL: optionalString.describe(
      'URL Twilio uses to reach the gateway; webhook signatures are checked against it (default http://127.0.0.1:GATEWAY_PORT)',
    ),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info').describe('Log level'),
    CONTINUUM_BOOTSTRAP_ADMIN_KEY: optionalString
      .refine((value) => value === undefined || value.length >= 16, 'must be at least 16 characters')
      .describe(
        'A secret the gateway makes sure exists at start (stored hashed) as an API key with scope admin in the operator (default) workspace: the first admin key of a fresh deployment (unset: none)',
      ),
    CONSOLE_DIR: optionalString.describe(
      'Directory of the built console the gateway serves at /console (default: dist/console of the workspace, which npm start and the gateway image build)',
    ),
    CODEC_CORS_ORIGINS: z
      .string()
      .default('http://127.0.0.1:8233,http://localhost:8233')
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
      .describe('Origins of the Temporal Web UI allowed to call the codec server (/codec/…) from a browser, comma-separated (default: the Web UI of npm start)'),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(10).describe('Deepest GraphQL selection accepted (fields within fields); deeper: QUERY_TOO_COMPLEX'),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30).describe('Most aliases in one GraphQL operation; more: QUERY_TOO_COMPLEX'),
    GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(50).describe('Most directives (@include, @skip, …) in one GraphQL operation; more: QUERY_TOO_COMPLEX'),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(1).default(2000).describe('Most lexical tokens in a GraphQL document, checked while parsing; more: QUERY_TOO_COMPLEX'),
    GRAPHQL_MAX_COST: z.coerce
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('Highest cost of a GraphQL operation: each field costs 1 plus its children, and first/last/limit multiplies what it pages; more: QUERY_TOO_COMPLEX'),
    GRAPHQL_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(5 * 1024 * 1024)
      .describe('Largest serialized GraphQL response (bytes); a larger one is replaced by RESPONSE_TOO_LARGE'),
    GRAPHQL_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('How long a GraphQL query or mutation may run; fields still pending then, and any not started, end with TIMEOUT (what resolved is answered)'),
    GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY: z.coerce
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('Most concurrent graphql-ws subscriptions per API key, per gateway process; more: RATE_LIMITED'),
    GRAPHQL_RATE_LIMIT_PER_SECOND: z.coerce
      .number()
      .int()
      .min(0)
      .default(50)
      .describe('GraphQL requests per second per API key, per gateway process; above it (and the burst): 429 RATE_LIMITED with Retry-After; 0: no limit'),
    GRAPHQL_RATE_LIMIT_BURST: z.coerce
      .number()
      .int()
      .min(1)
      .default(200)
      .describe('GraphQL requests an API key may send beyond GRAPHQL_RATE_LIMIT_PER_SECOND in a burst; the reserve refills every BURST ÷ PER_SECOND seconds'),
    AUDIENCE_REFRESH_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(300_000)
      .describe('How often every audience is re-evaluated for everyone (time windows move); 0: only on events and refreshAudience'),
    RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(36_500)
      .default(365)
      .describe('How long events, journal entries and messages are kept (days), for a workspace without its own retention (npm run admin -- retention set)'),
    RETENTION_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(3_600_000)
      .describe('How often a gateway runs the retention (partitions made ahead, expired ones dropped, shorter workspace retentions applied; one gateway at a time); 0: never'),
    SENDGRID_WEBHOOK_PUBLIC_KEY: optionalString.describe(
      'Verification key of the SendGrid Event Webhook (base64 DER as SendGrid shows it, or PEM); unset: email events are refused with 403',
    ),
    SENDGRID_INBOUND_TOKEN: optionalString.describe(
      'Secret of the SendGrid Inbound Parse webhook: `?token=` in the URL configured at SendGrid (unset: inbound email is refused with 403)',
    ),
    INBOUND_DEFAULT_ADDRESSES: z
      .string()
      .default('+15005550006,support@continuum.test')
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
      .superRefine((entries, ctx) => {
        for (const entry of entries) {
          if (!/^\+[1-9]\d{6,14}$/.test(entry) && !/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(entry)) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${entry}" is neither an E.164 number nor an email address` });
          }
        }
      })
      .transform((entries) => entries.map((entry) => (entry.includes('@') ? entry.toLowerCase() : entry)))
      .describe(
        'Numbers (SMS, WhatsApp) and email addresses whose inbound messages land in the default workspace, comma-separated, besides those a workspace\'s messaging policy names (default: the emulator\'s number and inbox, which no real message comes from); inbound to any other is refused',
      ),
    REPLY_CORRELATION_WINDOW: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)$/i, 'must be a duration such as "72 hours"')
      .default('72 hours')
      .describe('An inbound message replies to the journey whose message on that channel went out to the customer most recently within this window'),
    TRACKING_RATE_LIMIT_PER_SECOND: z.coerce
      .number()
      .int()
      .min(0)
      .default(500)
      .describe(
        'Tracking API requests per second per source write key (Segment asks to be told above 500); more are answered 429 with Retry-After; 0: no limit. Per gateway process',
      ),
    ROUTING_BULK_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(31)
      .default(4)
      .describe('Of the 32 customers the gateway routes at once, how many may be bulk (an import, the backlog found at start-up); live customers always go first'),
    ROUTING_LEASE_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .max(60_000)
      .default(6000)
      .describe(
        'How long a gateway holds its routing partitions (customers hashed into 64) without renewing them (renewed every quarter of it): the partitions of a gateway that dies are routed by the live ones once this has passed',
      ),
    ROUTING_BULK_MAX_BACKLOG: z.coerce
      .number()
      .int()
      .min(0)
      .default(20)
      .describe(
        'Bulk work is routed only while the journeys\' task queue holds fewer waiting workflow and activity tasks than this (read every 500 ms while bulk work waits), so an import goes as fast as the workers keep up; 0: no check',
      ),
    TRACKING_BULK_MAX_BACKLOG: z.coerce
      .number()
      .int()
      .min(1)
      .default(5_000)
      .describe(
        'Imports\' events accepted but not yet routed (per gateway) from which another import batch is answered 429 with Retry-After: past this buffer an import is taken as fast as it is routed',
      ),
    TRACKING_BULK_BATCH_SIZE: z.coerce
      .number()
      .int()
      .min(1)
      .default(100)
      .describe(
        'A /v1/batch (or GraphQL batch) of more messages than this is an import: its events route after live customers\' and start journeys at a lower Temporal priority',
      ),
  });

export const workerConfigSchema = databaseConfigSchema
  .merge(temporalConfigSchema)
  .merge(messagingPolicyConfigSchema)
  .merge(twilioConfigSchema)
  .merge(tracingConfigSchema)
  .extend({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe(
      'production requires WORKFLOW_BUNDLE_PATH (a prebuilt workflow bundle)',
    ),
    WORKFLOW_BUNDLE_PATH: optionalString.describe('Prebuilt workflow bundle from `npm run bundle:workflows`'),
    STATUS_CALLBACK_BASE_URL: optionalString.describe(
      'Public base URL of the gateway for Twilio status callbacks (unset: no status callbacks)',
    ),
    ABANDONED_CART_IDLE_TIMEOUT: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)$/i, 'must be a duration such as "1 hour" or "30s"')
      .default('1 hour')
      .describe('How long a cart must stay untouched before the reminder SMS'),
    WAREHOUSE_URL: optionalString
      .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL')
      .describe('PostgreSQL the journeys\' lookups read from, ideally as a read-only role (unset: lookups fail with WarehouseNotConfigured)'),
    LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(1).default(2000).describe('Statement timeout of a lookup unless it sets its own'),
    LOOKUP_MAX_ROWS: z.coerce.number().int().min(1).max(10_000).default(100).describe('Most rows a lookup returns unless it sets its own (more: truncated)'),
    SEND_RATE_PER_SECOND: z.coerce
      .number()
      .min(0)
      .default(0)
      .describe('Messages per second per sender (From number), shared by every worker through PostgreSQL (0: no limit)'),
    TWILIO_WHATSAPP_FROM: optionalString
      .refine((value) => value === undefined || /^\+[1-9]\d{6,14}$/.test(value), 'must be an E.164 number (without whatsapp:)')
      .describe('WhatsApp sender number (unset: WhatsApp sends fail as not configured and fall back)'),
    TWILIO_MESSAGING_SERVICE_SID: optionalString
      .refine((value) => value === undefined || /^MG[0-9a-fA-F]{32}$/.test(value), 'must be MG followed by 32 hex digits')
      .describe('Messaging Service with the RCS agent (it falls back to SMS by itself); unset: RCS sends fail as not configured'),
    SENDGRID_API_KEY: optionalString.describe('Twilio SendGrid API key for email (unset: email sends fail as not configured)'),
    SENDGRID_API_BASE_URL: optionalString.describe('Base URL of a SendGrid-compatible API (the local emulator); unset means the real SendGrid'),
    EMAIL_FROM: optionalString
      .refine((value) => value === undefined || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), 'must be an email address')
      .describe('Sender address of emails'),
    EMAIL_FROM_NAME: optionalString.describe('Sender name of emails'),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce
      .number()
      .int()
      .min(2)
      .default(10)
      .describe(
        'Workflow tasks this worker runs at once. Tasks beyond it wait in Temporal\'s queue, where a live customer\'s go ahead of an import\'s (priority); a larger number lets bulk work crowd the worker itself',
      ),
    WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Activities (sends, lookups, journal writes) this worker runs at once; more wait in Temporal\'s queue by priority'),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce
      .number()
      .int()
      .min(2)
      .max(100_000)
      .default(1000)
      .describe(
        'Journey instances this worker keeps in memory between their tasks (its sticky cache). One evicted is replayed from its history when it next wakes; a waiting journey costs memory while cached, so this bounds the worker\'s memory however many journeys wait. At least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
      ),
    WORKFLOW_STACK_TRACES: z
      .enum(['on', 'off'])
      .default('off')
      .describe(
        'on: workflows keep a stack for every promise, so the Temporal Web UI\'s Stack Trace tab (the __stack_trace query) shows where each waits; it doubles a workflow\'s replay CPU. off: that tab is empty; the Current Details and the JourneyStep attribute say where an instance is',
      ),
    WORKFLOW_DEADLOCK_DETECTION: z
      .enum(['on', 'off'])
      .default('on')
      .describe(
        'on: a workflow task whose code runs 5 s without yielding fails ("Script execution timed out", retried) while the worker\'s other journeys go on; it costs a watchdog thread per call into workflow code, about a quarter of a journey\'s replay CPU. off: no watchdog; a journey that loops forever blocks its worker\'s workflow thread, and every journey on that worker with it',
      ),
    WORKER_HTTP_PORT: port(4001).describe('Port of the worker\'s /health/live, /health/ready and /metrics (0 picks a free port)'),
    WORKER_HTTP_HOST: z.string().default('127.0.0.1').describe('Interface the worker\'s health and metrics endpoints listen on'),
    TEMPORAL_SDK_METRICS_ADDRESS: optionalString.describe(
      'host:port of the Temporal SDK\'s own Prometheus exporter, merged into the worker\'s /metrics (unset: a free loopback port)',
    ),
    INTENT_MODEL_URL: optionalString
      .refine((value) => value === undefined || /^https?:\/\//.test(value), 'must be an http(s) URL')
      .describe('External intent model: POST {text, locale} answering {intent, confidence} (unset: the built-in rules classify)'),
    INTENT_MODEL_TIMEOUT_MS: z.coerce.number().int().min(1).default(2000).describe('How long a model answer may take before the rules answer instead'),
    INTENT_MODEL_TOKEN: optionalString.describe('Bearer token sent to the intent model'),
    CONVERSATION_ESCALATION_KEYWORDS: z
      .string()
      .default('lawyer,complaint,ombudsman,procon')
      .transform((value) => value.split(',').map((word) => word.trim()).filter((word) => word !== ''))
      .describe('Words or phrases that hand a conversation topic to a person at once (comma-separated)'),
    CONVERSATION_VIP_TRAIT: z.string().default('vip').describe('The trait that marks a VIP, whose topics go to a person at once'),
    CONVERSATION_REOPEN_DAYS: z.coerce.number().min(0).default(7).describe('A message about a topic resolved at most this many days ago reopens it'),
    CONVERSATION_STOCK_LOOKUP: optionalString
      .refine((value) => value === undefined || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value), 'must be the kebab-case name of a lookup in the catalogue')
      .describe("The lookup the sales agent reads stock from (rows { product, size, available }; unset: no stock answers)"),
    CONVERSATION_KNOWLEDGE_CHECK_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(5_000)
      .describe("How often (ms) a worker reads a workspace's knowledge version: a saved answer or example is used within this"),
    EGRESS_ALLOWED_NETWORKS: egressAllowedNetworks,
    EGRESS_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(4 * 1024 * 1024)
      .default(256 * 1024)
      .describe('Largest response body a journey\'s HTTP request accepts (larger: the request fails with response-too-large); the body is kept in workflow history'),
    EGRESS_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(10_000)
      .describe('Default time a journey\'s HTTP request may take, connect to last byte (a request may ask for less or more, up to 60 s)'),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8).describe('Attempts of an outbound webhook delivery, the first included, before it is marked failed (an operator can replay it)'),
    WEBHOOK_RETRY_INITIAL_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000).describe('Delay before the second attempt of a webhook delivery'),
    WEBHOOK_RETRY_BACKOFF_COEFFICIENT: z.coerce.number().min(1).max(10).default(4).describe('Each further delay between webhook attempts is this many times the previous one'),
    WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce.number().int().min(100).default(6 * 3_600_000).describe('Longest delay between two webhook attempts'),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000).describe('Time a webhook attempt may take, connect to last byte (longer: retried)'),
    WEBHOOK_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000).describe('How often the worker reads the queue of webhook deliveries when no notification woke it'),
    WEBHOOK_DISABLE_AFTER_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(5 * 24 * 3_600_000)
      .describe('An outbound webhook endpoint whose every attempt has failed for this long is disabled by itself, with the reason (0: never)'),
    WORKER_DEPLOYMENT_NAME: optionalString
      .refine((value) => value === undefined || DEPLOYMENT_NAME.test(value), 'must be letters, digits, - and _ (at most 100; no "." or ":"), e.g. continuum')
      .describe(
        'Worker versioning (docs/operating.md, "Rolling upgrades"): the Temporal worker deployment this worker belongs to, with WORKER_BUILD_ID; journeys are pinned to the build they started on. Unset (with WORKER_BUILD_ID): unversioned',
      ),
    WORKER_BUILD_ID: optionalString
      .refine((value) => value === undefined || BUILD_ID.test(value), 'must be letters, digits, ., -, _ and + (at most 100), e.g. 2026-12-05.1 or a git commit')
      .describe('Worker versioning: the build of this worker\'s code (a release or git commit), unique per deployed build; set with WORKER_DEPLOYMENT_NAME'),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info').describe('Log level (JSON lines on stdout)'),
  });

/** A Temporal worker deployment name: the server refuses "." and ":" in it (they separate it from the build id). */
const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** A build id: printable, no spaces, short enough for a search attribute value and a label. */
const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/** The worker deployment version a worker polls as, when worker versioning is configured. */
export interface WorkerDeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * The worker's deployment version from WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID: both set,
 * versioned; neither, unversioned (undefined); one without the other is a ConfigError naming it.
 */
export function workerDeploymentVersionOf(config: Pick<WorkerConfig, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>): WorkerDeploymentVersion | undefined {
  const { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId } = config;
  if (deploymentName === undefined && buildId === undefined) return undefined;
  if (deploymentName === undefined) throw new ConfigError('worker', ['WORKER_DEPLOYMENT_NAME: must be set when WORKER_BUILD_ID is (worker versioning needs both)']);
  if (buildId === undefined) throw new ConfigError('worker', ['WORKER_BUILD_ID: must be set when WORKER_DEPLOYMENT_NAME is (worker versioning needs both)']);
  return { deploymentName, buildId };
}

/**
 * The worker's sticky cache size (WORKER_MAX_CACHED_WORKFLOWS), checked against the workflow tasks it
 * runs at once: each running task needs its workflow cached, so a smaller cache is a ConfigError naming
 * both (the SDK would silently lower the task slots instead).
 */
export function workerCacheSizeOf(config: Pick<WorkerConfig, 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'>): number {
  const { WORKER_MAX_CACHED_WORKFLOWS: cached, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: slots } = config;
  if (cached < slots) {
    throw new ConfigError('worker', [`WORKER_MAX_CACHED_WORKFLOWS: must be at least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${slots}), got ${cached}`]);
  }
  return cached;
}

export const emulatorConfigSchema = twilioConfigSchema.pick({ TWILIO_ACCOUNT_SID: true, TWILIO_AUTH_TOKEN: true }).extend({
  EMULATOR_PORT: port(4010).describe('Port of the Twilio emulator'),
  EMULATOR_HOST: z.string().default('127.0.0.1').describe('Interface the emulator listens on'),
  EMULATOR_INBOUND_WEBHOOK_URL: optionalString.describe('Where injected inbound messages are posted (the gateway webhook)'),
  EMULATOR_STATUS_DELAY_MS: z.coerce.number().int().min(0).default(200).describe('Delay between status callbacks'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export type EmulatorConfig = z.infer<typeof emulatorConfigSchema>;
export type TemporalConfig = z.infer<typeof temporalConfigSchema>;
export type TemporalEngineConfig = z.infer<typeof temporalEngineConfigSchema>;
export type TwilioConfig = z.infer<typeof twilioConfigSchema>;
export type TracingConfig = z.infer<typeof tracingConfigSchema>;

/** Development credentials the emulator accepts; never valid on the real Twilio. */
export const EMULATOR_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const EMULATOR_AUTH_TOKEN = 'emulator-auth-token';
/** Twilio's magic "valid" test sender number. */
export const EMULATOR_FROM_NUMBER = '+15005550006';

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: string[],
  ) {
    super(`Invalid ${service} configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses env against a schema; throws a ConfigError naming every bad variable. */
export function loadConfig<S extends z.ZodTypeAny>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data as z.infer<S>;
}

export type MessagingPolicyConfig = z.infer<typeof messagingPolicyConfigSchema>;

/**
 * The global layer of the messaging policy: what the env says (QUIET_HOURS, CHANNEL_DEFAULTS,
 * FREQUENCY_CAPS, INBOUND_*…), with the sender numbers where this service knows them (the worker).
 */
export function globalMessagingPolicy(
  config: MessagingPolicyConfig & Partial<Pick<WorkerConfig, 'TWILIO_FROM_NUMBER' | 'TWILIO_WHATSAPP_FROM' | 'TWILIO_MESSAGING_SERVICE_SID' | 'EMAIL_FROM'>>,
): PolicyLayerDocument {
  return globalPolicyFromEnv({
    quietHours: config.QUIET_HOURS,
    quietHoursMode: config.QUIET_HOURS_MODE,
    channelDefaults: config.CHANNEL_DEFAULTS,
    frequencyCaps: config.FREQUENCY_CAPS,
    workspaceTimeZone: config.WORKSPACE_TIME_ZONE,
    regionTimeZones: { ...REGION_TIME_ZONES },
    stopWords: config.INBOUND_STOP_WORDS,
    startWords: config.INBOUND_START_WORDS,
    helpWords: config.INBOUND_HELP_WORDS,
    helpReply: config.INBOUND_HELP_REPLY,
    senders: { sms: config.TWILIO_FROM_NUMBER, whatsapp: config.TWILIO_WHATSAPP_FROM, messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID, email: config.EMAIL_FROM },
  });
}
