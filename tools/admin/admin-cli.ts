import { parseArgs } from 'node:util';
import {
  AdminError,
  CLI_ACTOR,
  CustomerKeyStore,
  LocalKms,
  openDataSource,
  parseRetentionDays,
  RetentionInputError,
  RetentionStore,
  TenantAdmin,
  validateSlug,
  type ApiKeyInfo,
  type DataSource,
  type WorkspaceInfo,
  type WriteKeyInfo,
} from '@continuum/data';
import { runWorkerDeployment, WORKER_DEPLOYMENT_USAGE, WorkerDeploymentUsageError } from './worker-deployment';

/**
 * `npm run admin -- <command>`: tenant administration straight on the database (DATABASE_URL), each
 * action audited in admin_audit with actor "cli". docs/api/auth.md, "Administration".
 */

export const USAGE = `Usage: npm run admin -- <command> [arguments]   (DATABASE_URL must be set, except for worker-deployment)

  create-workspace <slug> <name>                           create a workspace
  list-workspaces                                          list workspaces
  create-key --workspace <slug> --name <name> --scopes <a,b>
                                                           create an API key (its secret is printed once)
  list-keys --workspace <slug>                             list API keys (never their secrets)
  rotate-key <id>                                          new secret for a key; the old one is revoked at once
  revoke-key <id>                                          revoke an API key
  create-write-key --workspace <slug> --name <name>        create a source write key (printed once)
  list-write-keys --workspace <slug>                       list source write keys
  revoke-write-key <id>                                    revoke a source write key
  rotate-workspace-key --workspace <slug>                  new workspace key; every data key of the workspace re-wrapped
                                                           under it (CONTINUUM_ROOT_KEY must be set)
  rotate-root-key                                          re-wrap every workspace key under CONTINUUM_ROOT_KEY (the new
                                                           root), opening them with CONTINUUM_PREVIOUS_ROOT_KEYS (the old)
  retention show [--workspace <slug>]                       each workspace's retention (days; null: RETENTION_DAYS) and the
                                                           monthly partitions of events and journal entries
  retention set --workspace <slug> --days <n|default>      a workspace's own retention: 1 to 36500 days, or default
  retention run                                            run the retention once now (as a gateway does every
                                                           RETENTION_INTERVAL_MS) and print what it did
${WORKER_DEPLOYMENT_USAGE}

Scopes: track, read, operate, agent, admin, or * (every scope).
Exit codes: 0 done, 2 a bad or missing argument (named in the message), 1 anything else.`;

/** A bad or missing argument: exit code 2, the message naming it. */
export class UsageError extends Error {}

export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

/** The CLI argument an AdminError's field came from, so that the message names what the user typed. */
const ARGUMENT_OF: Record<string, Record<string, string>> = {
  'create-workspace': { slug: '<slug>', name: '<name>' },
  'create-key': { name: '--name', scopes: '--scopes', workspace: '--workspace' },
  'list-keys': { workspace: '--workspace' },
  'create-write-key': { name: '--name', workspace: '--workspace' },
  'list-write-keys': { workspace: '--workspace' },
  'rotate-key': { id: '<id>' },
  'revoke-key': { id: '<id>' },
  'revoke-write-key': { id: '<id>' },
  'rotate-workspace-key': { workspace: '--workspace' },
  'rotate-root-key': {},
  retention: { workspace: '--workspace', days: '--days' },
};

const ALL = { limit: 100_000, backward: false } as const;

function show(row: WorkspaceInfo | ApiKeyInfo | WriteKeyInfo): Record<string, unknown> {
  return { ...row, createdAt: row.createdAt.toISOString(), ...('revokedAt' in row ? { revokedAt: row.revokedAt?.toISOString() ?? null } : {}) };
}

function parse(command: string, args: string[], options: Record<string, { type: 'string' }>, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
  if (parsed.positionals.length !== positionals.length) {
    const missing = positionals[parsed.positionals.length];
    throw new UsageError(missing ? `${command}: missing argument ${missing}` : `${command}: unexpected argument "${parsed.positionals[positionals.length]}"`);
  }
  for (const name of Object.keys(options)) {
    if (parsed.values[name] === undefined) throw new UsageError(`${command}: missing option --${name}`);
  }
  return { values: parsed.values as Record<string, string>, positionals: parsed.positionals };
}

async function workspaceOf(admin: TenantAdmin, slug: string): Promise<string> {
  try {
    validateSlug(slug, 'workspace');
  } catch (error) {
    if (error instanceof AdminError) throw new AdminError('INVALID', error.message, 'workspace');
  }
  return (await admin.workspaceBySlug(slug, 'workspace')).id;
}

async function run(admin: TenantAdmin, command: string, args: string[], io: CliIo, dataSource: DataSource): Promise<void> {
  const print = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  switch (command) {
    case 'create-workspace': {
      const [slug, name] = parse(command, args, {}, ['<slug>', '<name>']).positionals as [string, string];
      print(show(await admin.createWorkspace(CLI_ACTOR, slug, name)));
      return;
    }
    case 'list-workspaces': {
      parse(command, args, {}, []);
      print((await admin.listWorkspaces(ALL)).map(show));
      return;
    }
    case 'create-key': {
      const { values } = parse(command, args, { workspace: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' } }, []);
      const created = await admin.createApiKey(CLI_ACTOR, await workspaceOf(admin, values['workspace']!), values['name']!, values['scopes']!);
      print({ ...show(created.apiKey), secret: created.secret });
      io.err('The secret is shown this once: it is stored only hashed.');
      return;
    }
    case 'list-keys': {
      const { values } = parse(command, args, { workspace: { type: 'string' } }, []);
      print((await admin.listApiKeys(await workspaceOf(admin, values['workspace']!), ALL)).map(({ position: _position, ...key }) => show(key)));
      return;
    }
    case 'rotate-key': {
      const [id] = parse(command, args, {}, ['<id>']).positionals as [string];
      const rotated = await admin.rotateApiKey(CLI_ACTOR, null, id);
      print({ ...show(rotated.apiKey), secret: rotated.secret, revoked: show(rotated.revoked) });
      io.err('The new secret is shown this once; the old one is refused now (within 30 s on running gateways).');
      return;
    }
    case 'revoke-key': {
      const [id] = parse(command, args, {}, ['<id>']).positionals as [string];
      print(show(await admin.revokeApiKey(CLI_ACTOR, null, id)));
      io.err('Revoked: running gateways refuse it within 30 s (their key cache).');
      return;
    }
    case 'create-write-key': {
      const { values } = parse(command, args, { workspace: { type: 'string' }, name: { type: 'string' } }, []);
      const created = await admin.createWriteKey(CLI_ACTOR, await workspaceOf(admin, values['workspace']!), values['name']!);
      print({ ...show(created.writeKey), secret: created.secret });
      io.err('The write key is shown this once: it is stored only hashed.');
      return;
    }
    case 'list-write-keys': {
      const { values } = parse(command, args, { workspace: { type: 'string' } }, []);
      print((await admin.listWriteKeys(await workspaceOf(admin, values['workspace']!), ALL)).map(({ position: _position, ...key }) => show(key)));
      return;
    }
    case 'revoke-write-key': {
      const [id] = parse(command, args, {}, ['<id>']).positionals as [string];
      print(show(await admin.revokeWriteKey(CLI_ACTOR, null, id)));
      return;
    }
    case 'rotate-workspace-key': {
      const { values } = parse(command, args, { workspace: { type: 'string' } }, []);
      const workspaceId = await workspaceOf(admin, values['workspace']!);
      const rotated = await keyStore(io, dataSource).rotateWorkspaceKey(workspaceId);
      await admin.audit(CLI_ACTOR, workspaceId, 'rotateWorkspaceKey', `workspace-key:${workspaceId}:v${rotated.version}`, { rewrapped: rotated.rewrapped }, 'ok');
      print(rotated);
      io.err('Every payload stays readable: data keys are unchanged, only re-wrapped.');
      return;
    }
    case 'rotate-root-key': {
      parse(command, args, {}, []);
      if (!io.env['CONTINUUM_PREVIOUS_ROOT_KEYS']) throw new UsageError('rotate-root-key: CONTINUUM_PREVIOUS_ROOT_KEYS must name the root key(s) being replaced (CONTINUUM_ROOT_KEY is the new one)');
      const rewrapped = await keyStore(io, dataSource).rewrapWorkspaceKeys();
      await admin.audit(CLI_ACTOR, null, 'rotateRootKey', 'root-key', rewrapped, 'ok');
      print(rewrapped);
      io.err('Every workspace key is wrapped by the new root key: remove CONTINUUM_PREVIOUS_ROOT_KEYS from the gateways and workers.');
      return;
    }
    case 'retention': {
      await retention(admin, args, io, dataSource, print);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** `retention show|set|run` (docs/operating.md, "Retention"). */
async function retention(admin: TenantAdmin, args: string[], io: CliIo, dataSource: DataSource, print: (value: unknown) => void): Promise<void> {
  const [action, ...rest] = args;
  const store = new RetentionStore(dataSource);
  const defaultDays = (() => {
    const configured = io.env['RETENTION_DAYS'];
    if (configured === undefined || configured === '') return 365;
    try {
      const days = parseRetentionDays(configured);
      if (days !== null) return days;
    } catch {
      // named below
    }
    throw new UsageError(`RETENTION_DAYS must be a whole number of days from 1 to 36500 (got "${configured}")`);
  })();
  switch (action) {
    case 'show': {
      const { values } = parseOptional('retention show', rest, { workspace: { type: 'string' } });
      const workspaces = (await admin.listWorkspaces(ALL)).filter((w) => values['workspace'] === undefined || w.slug === values['workspace']);
      if (values['workspace'] !== undefined) await workspaceOf(admin, values['workspace']);
      const partitions = await store.listPartitions();
      print({
        defaultDays,
        workspaces: await Promise.all(workspaces.map(async (w) => ({ slug: w.slug, retentionDays: await store.retentionOf(w.id) }))),
        partitions: partitions.map((p) => ({ table: p.table, name: p.name, from: p.from?.toISOString() ?? null, to: p.to?.toISOString() ?? null })),
      });
      return;
    }
    case 'set': {
      const { values } = parse('retention set', rest, { workspace: { type: 'string' }, days: { type: 'string' } }, []);
      const workspaceId = await workspaceOf(admin, values['workspace']!);
      let days: number | null;
      try {
        days = parseRetentionDays(values['days']!);
      } catch (error) {
        if (error instanceof RetentionInputError) throw new AdminError('INVALID', error.message, 'days');
        throw error;
      }
      await store.setRetention(workspaceId, days);
      await admin.audit(CLI_ACTOR, workspaceId, 'setRetention', `workspace:${workspaceId}`, { days }, 'ok');
      print({ slug: values['workspace'], retentionDays: days, effectiveDays: days ?? defaultDays });
      io.err(days === null ? `The workspace keeps its data RETENTION_DAYS (${defaultDays}) days.` : 'Applied at the next retention run (npm run admin -- retention run, or a gateway within RETENTION_INTERVAL_MS).');
      return;
    }
    case 'run': {
      parse('retention run', rest, {}, []);
      const report = await store.run({ defaultDays });
      if (!report.ran) io.err('Another process is running the retention now: nothing done.');
      await admin.audit(CLI_ACTOR, null, 'runRetention', 'retention', { dropped: report.dropped, kept: report.kept, deleted: report.deleted }, 'ok');
      print({ ...report, dropBefore: report.dropBefore.toISOString() });
      return;
    }
    default:
      throw new UsageError(action ? `retention: unknown action "${action}" (show, set or run)` : 'retention: missing action (show, set or run)');
  }
}

function parseOptional(command: string, args: string[], options: Record<string, { type: 'string' }>) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: false, strict: true });
    return { values: parsed.values as Record<string, string | undefined> };
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

/** The key store under the environment's root key (and the previous ones, during a rotation). */
function keyStore(io: CliIo, dataSource: DataSource): CustomerKeyStore {
  const root = io.env['CONTINUUM_ROOT_KEY'];
  if (!root) throw new UsageError('CONTINUUM_ROOT_KEY is not set (the root key of payload encryption)');
  const previous = (io.env['CONTINUUM_PREVIOUS_ROOT_KEYS'] ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
  try {
    return new CustomerKeyStore(dataSource, new LocalKms(root, previous));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs one command; returns the exit code (0 done, 2 bad argument, 1 other failure). */
export async function runAdminCli(argv: string[], io: CliIo, open: (url: string) => Promise<DataSource> = (url) => openDataSource(url, { applicationName: 'continuum-admin', poolSize: 2 })): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'worker-deployment') {
    // Rolling upgrades talk to Temporal, not to the database (docs/operating.md, "Rolling upgrades").
    try {
      return await runWorkerDeployment(args, io);
    } catch (error) {
      if (error instanceof WorkerDeploymentUsageError) {
        io.err(`error: ${error.message}\n\n${USAGE}`);
        return 2;
      }
      io.err(`error: worker-deployment ${args[0] ?? ''}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  if (!(command in ARGUMENT_OF) && command !== 'list-workspaces') {
    io.err(`error: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const url = io.env['DATABASE_URL'];
  if (!url) {
    io.err('error: DATABASE_URL is not set (the PostgreSQL database of the deployment)');
    return 2;
  }
  let dataSource: DataSource | undefined;
  try {
    dataSource = await open(url);
    await run(new TenantAdmin(dataSource), command, args, io, dataSource);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AdminError) {
      const argument = (error.field && ARGUMENT_OF[command]?.[error.field]) ?? error.field;
      io.err(`error: ${command}: ${argument ? `${argument}: ` : ''}${error.message} (${error.code})`);
      return 2;
    }
    io.err(`error: ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await dataSource?.destroy();
  }
}
