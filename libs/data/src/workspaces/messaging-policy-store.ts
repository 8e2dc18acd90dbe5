import { isDeepStrictEqual } from 'node:util';
import {
  effectiveRules,
  parsePolicyLayer,
  policyForSending,
  resolvePolicy,
  type EffectiveRule,
  type PolicyForSending,
  type PolicyIssue,
  type PolicyLayerDocument,
  type PolicyRules,
} from '@continuum/domain';
import type { DataSource } from 'typeorm';
import { NotificationListener, type NotificationListenerOptions } from '../notification-listener';
import type { AdminActor } from './tenant-admin';

/** The NOTIFY channel a saved policy is announced on (payload: the workspace id), so every process drops its cached copy. */
export const POLICY_CHANNEL = 'continuum_policy';

/** How long a cached policy is used without hearing of a change (the bound when NOTIFY is lost or not listened to). */
export const POLICY_CACHE_TTL_MS = 5_000;

/** One difference between two versions: a rule of the workspace or of one of its countries. */
export interface PolicyChange {
  /** `quietHours`, `countries.BR.keywords`… */
  path: string;
  before: unknown;
  after: unknown;
}

/** A saved version of a workspace's policy layer. */
export interface PolicyVersion {
  workspaceId: string;
  version: number;
  document: PolicyLayerDocument;
  changes: PolicyChange[];
  /** `api-key:<id>`, `cli`… */
  author: string;
  authorKeyId: string | null;
  comment: string | null;
  createdAt: Date;
}

/** A document that is not a policy: every problem, each with its path inside the document. */
export class PolicyValidationError extends Error {
  constructor(readonly issues: PolicyIssue[]) {
    super(`invalid messaging policy: ${issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`).join('; ')}`);
    this.name = 'PolicyValidationError';
  }
}

/** A save that lost a race, or named a version that is no longer the newest. */
export class PolicyConflictError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PolicyConflictError';
  }
}

interface VersionRow {
  workspace_id: string;
  version: number;
  document: PolicyLayerDocument;
  changes: PolicyChange[];
  author: string;
  author_key_id: string | null;
  comment: string | null;
  created_at: Date;
}

const COLUMNS = 'workspace_id, version, document, changes, author, author_key_id, comment, created_at';

function toVersion(row: VersionRow): PolicyVersion {
  return {
    workspaceId: row.workspace_id,
    version: row.version,
    document: row.document,
    changes: row.changes,
    author: row.author,
    authorKeyId: row.author_key_id,
    comment: row.comment,
    createdAt: row.created_at,
  };
}

/** What changed between two documents, rule by rule (a country's rules one by one). */
export function policyChanges(before: PolicyLayerDocument, after: PolicyLayerDocument): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const compare = (prefix: string, a: PolicyRules | undefined, b: PolicyRules | undefined) => {
    const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].filter((key) => key !== 'countries').sort();
    for (const key of keys) {
      const was = (a as Record<string, unknown> | undefined)?.[key];
      const now = (b as Record<string, unknown> | undefined)?.[key];
      if (!isDeepStrictEqual(was, now)) changes.push({ path: `${prefix}${key}`, before: was ?? null, after: now ?? null });
    }
  };
  compare('', before, after);
  const countries = [...new Set([...Object.keys(before.countries ?? {}), ...Object.keys(after.countries ?? {})])].sort();
  for (const country of countries) compare(`countries.${country}.`, before.countries?.[country], after.countries?.[country]);
  return changes;
}

/** Every sender number a document names (the workspace's and its countries'), for inbound routing. */
function senderAddresses(document: PolicyLayerDocument): Array<{ address: string; field: string }> {
  const found: Array<{ address: string; field: string }> = [];
  const add = (rules: PolicyRules | undefined, prefix: string) => {
    for (const kind of ['sms', 'whatsapp'] as const) {
      const address = rules?.senders?.[kind];
      if (address && !found.some((entry) => entry.address === address)) found.push({ address, field: `${prefix}senders.${kind}` });
    }
    // Receive-only numbers and inbox addresses belong to one workspace too (their inbound messages land there).
    (rules?.senders?.inbound ?? []).forEach((address, index) => {
      if (!found.some((entry) => entry.address === address)) found.push({ address, field: `${prefix}senders.inbound.${index}` });
    });
  };
  add(document, '');
  for (const [country, rules] of Object.entries(document.countries ?? {})) add(rules, `countries.${country}.`);
  return found;
}

/**
 * Workspaces' messaging policies (their layer of the governance policy), versioned in PostgreSQL.
 * The send path reads `inForce`, cached per process: a save here drops the copy at once, a save in
 * another process through NOTIFY (`listen`), and any copy is re-read after POLICY_CACHE_TTL_MS.
 */
export class MessagingPolicyStore {
  private readonly cache = new Map<string, { document: PolicyLayerDocument | undefined; version: number; readAt: number }>();
  private listener: NotificationListener | null = null;
  private readonly ttlMs: number;

  constructor(
    private readonly dataSource: DataSource,
    options: { ttlMs?: number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? POLICY_CACHE_TTL_MS;
  }

  /** The newest version (read from PostgreSQL), undefined when the workspace never saved one. */
  async current(workspaceId: string): Promise<PolicyVersion | undefined> {
    const rows: VersionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM messaging_policy_versions WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1`,
      [workspaceId],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The workspace's layer in force (cached; see the class). */
  async inForce(workspaceId: string): Promise<{ document: PolicyLayerDocument | undefined; version: number }> {
    const cached = this.cache.get(workspaceId);
    if (cached && Date.now() - cached.readAt < this.ttlMs) return cached;
    const current = await this.current(workspaceId);
    const entry = { document: current?.document, version: current?.version ?? 0, readAt: Date.now() };
    this.cache.set(workspaceId, entry);
    return entry;
  }

  /** Drops the cached copy of one workspace (every one when omitted). */
  invalidate(workspaceId?: string): void {
    if (workspaceId === undefined) this.cache.clear();
    else this.cache.delete(workspaceId);
  }

  /** Listens for saves made by other processes (a dedicated connection; reconnects by itself). */
  async listen(databaseUrl: string, options: NotificationListenerOptions = {}): Promise<void> {
    if (this.listener) return;
    this.listener = new NotificationListener(databaseUrl, POLICY_CHANNEL, (payload) => this.invalidate(payload || undefined), {
      applicationName: 'continuum-policy-listener',
      ...options,
      // A reconnection may have missed saves: start afresh.
      onStatus: (status) => {
        if (status.state === 'listening') this.invalidate();
        options.onStatus?.(status);
      },
    });
    await this.listener.start();
  }

  async stopListening(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
  }

  /**
   * Validates `input` and saves it as the next version, with what changed, its author and an audit
   * row; announces it to every process. `expectedVersion` (optional) must be the newest version
   * (0: none yet). Throws PolicyValidationError or PolicyConflictError.
   */
  async save(workspaceId: string, input: unknown, actor: AdminActor, options: { expectedVersion?: number; comment?: string } = {}): Promise<PolicyVersion> {
    const parsed = parsePolicyLayer(input);
    if (!parsed.ok) throw new PolicyValidationError(parsed.issues);
    const document = parsed.document;
    const saved = await this.dataSource.transaction(async (manager) => {
      // One save at a time per workspace: the version numbers and sender numbers stay consistent.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('messaging_policy:' || $1))`, [workspaceId]);
      const rows: VersionRow[] = await manager.query(
        `SELECT ${COLUMNS} FROM messaging_policy_versions WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1`,
        [workspaceId],
      );
      const previous = rows[0];
      const currentVersion = previous?.version ?? 0;
      if (options.expectedVersion !== undefined && options.expectedVersion !== currentVersion) {
        throw new PolicyConflictError(`version ${options.expectedVersion} is not the newest (${currentVersion}): read the policy again and reapply the change`, 'expectedVersion');
      }
      const senders = senderAddresses(document);
      if (senders.length > 0) {
        const owned: Array<{ address: string; workspace_id: string }> = await manager.query(
          `SELECT address, workspace_id FROM messaging_policy_senders WHERE address = ANY($1) AND workspace_id <> $2`,
          [senders.map((sender) => sender.address), workspaceId],
        );
        const taken = owned[0];
        if (taken) {
          const field = senders.find((sender) => sender.address === taken.address)!.field;
          throw new PolicyConflictError(`${taken.address} is a sender of another workspace (a number belongs to one workspace)`, `document.${field}`);
        }
      }
      const changes = policyChanges(previous?.document ?? {}, document);
      const inserted: VersionRow[] = await manager.query(
        `INSERT INTO messaging_policy_versions (workspace_id, version, document, changes, author, author_key_id, comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [workspaceId, currentVersion + 1, JSON.stringify(document), JSON.stringify(changes), actor.name, actor.keyId, options.comment ?? null],
      );
      await manager.query(`DELETE FROM messaging_policy_senders WHERE workspace_id = $1`, [workspaceId]);
      for (const sender of senders) {
        await manager.query(`INSERT INTO messaging_policy_senders (address, workspace_id) VALUES ($1, $2)`, [sender.address, workspaceId]);
      }
      await manager.query(
        `INSERT INTO admin_audit (workspace_id, actor_key_id, actor, action, target, input, outcome) VALUES ($1, $2, $3, 'updateMessagingPolicy', $4, $5, 'ok')`,
        [workspaceId, actor.keyId, actor.name, `messaging-policy:v${currentVersion + 1}`, JSON.stringify({ version: currentVersion + 1, changed: changes.map((change) => change.path) })],
      );
      await manager.query(`SELECT pg_notify($1, $2)`, [POLICY_CHANNEL, workspaceId]);
      return toVersion(inserted[0]!);
    });
    this.invalidate(workspaceId);
    return saved;
  }

  /**
   * `limit` versions: older than `olderThan`, newest first (paging forward through the history), or
   * newer than `newerThan`, oldest first (paging backward).
   */
  async versions(workspaceId: string, options: { limit: number; olderThan?: number; newerThan?: number }): Promise<PolicyVersion[]> {
    const rows: VersionRow[] =
      options.newerThan !== undefined
        ? await this.dataSource.query(
            `SELECT ${COLUMNS} FROM messaging_policy_versions WHERE workspace_id = $1 AND version > $2 ORDER BY version ASC LIMIT $3`,
            [workspaceId, options.newerThan, options.limit],
          )
        : await this.dataSource.query(
            `SELECT ${COLUMNS} FROM messaging_policy_versions WHERE workspace_id = $1 AND version < $2 ORDER BY version DESC LIMIT $3`,
            [workspaceId, options.olderThan ?? 2_147_483_647, options.limit],
          );
    return rows.map(toVersion);
  }

  /** The given versions of a workspace (absent ones: undefined), in the order asked. */
  async versionsByNumber(workspaceId: string, numbers: readonly number[]): Promise<Array<PolicyVersion | undefined>> {
    const rows: VersionRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM messaging_policy_versions WHERE workspace_id = $1 AND version = ANY($2)`, [
      workspaceId,
      [...numbers],
    ]);
    const byNumber = new Map(rows.map((row) => [row.version, toVersion(row)]));
    return numbers.map((number) => byNumber.get(number));
  }

  async versionCount(workspaceId: string): Promise<number> {
    const rows: Array<{ count: string }> = await this.dataSource.query(`SELECT count(*) AS count FROM messaging_policy_versions WHERE workspace_id = $1`, [workspaceId]);
    return Number(rows[0]?.count ?? 0);
  }

  /** The workspace whose policy names this sender number or inbound address (an inbound message to it lands there). */
  async workspaceOfSender(address: string): Promise<{ id: string; slug: string } | undefined> {
    return (await this.workspaceOfAny([address]))?.workspace;
  }

  /** The first of `addresses` (in order) some workspace's policy names, with that workspace. */
  async workspaceOfAny(addresses: string[]): Promise<{ address: string; workspace: { id: string; slug: string } } | undefined> {
    if (addresses.length === 0) return undefined;
    const rows: Array<{ address: string; id: string; slug: string }> = await this.dataSource.query(
      `SELECT s.address, w.id, w.slug FROM messaging_policy_senders s JOIN workspaces w ON w.id = s.workspace_id WHERE s.address = ANY($1)`,
      [addresses],
    );
    for (const address of addresses) {
      const row = rows.find((each) => each.address === address);
      if (row) return { address, workspace: { id: row.id, slug: row.slug } };
    }
    return undefined;
  }
}

/**
 * The governance policy as the send path and the inbound handling read it: the global layer (the
 * deployment's env) under each workspace's layer in force (cached by MessagingPolicyStore).
 */
export class MessagingPolicies {
  private readonly sending = new Map<string, { version: number; policy: PolicyForSending }>();

  constructor(
    readonly store: MessagingPolicyStore,
    readonly global: PolicyLayerDocument,
    private readonly regionTimeZones: Record<string, string> = {},
  ) {}

  /** The workspace's rules for every country, as journeys and broadcasts read them (`getMessagingPolicy`). */
  async forSending(workspaceId: string): Promise<PolicyForSending & { version: number }> {
    const { document, version } = await this.store.inForce(workspaceId);
    const known = this.sending.get(workspaceId);
    if (known && known.version === version) return { ...known.policy, version };
    const policy = policyForSending(this.global, document, this.regionTimeZones);
    this.sending.set(workspaceId, { version, policy });
    return { ...policy, version };
  }

  /** The rules for a customer of the workspace in `country` (none: the workspace-wide rules). */
  async rulesFor(workspaceId: string, country: string | undefined): Promise<PolicyRules> {
    const { document } = await this.store.inForce(workspaceId);
    return effectiveRules(this.global, document, country);
  }

  /** Each rule for a customer in `country`, with the layer it came from. */
  async explain(workspaceId: string, country: string | undefined): Promise<{ version: number; rules: EffectiveRule[] }> {
    const current = await this.store.current(workspaceId);
    return { version: current?.version ?? 0, rules: resolvePolicy(this.global, current?.document, country) };
  }
}
