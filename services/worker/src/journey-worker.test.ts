import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageProvider } from '@continuum/activities-messaging';
import { loadConfig, workerConfigSchema } from '@continuum/config';
import { createDataSource } from '@continuum/data';
import { buildActivities } from './activities';
import { createJourneyWorker, prebuiltBundle } from './journey-worker';
import { UNREACHABLE_WORKER_ENV } from './test-support/worker-settings';

const base = UNREACHABLE_WORKER_ENV;

describe('worker configuration', () => {
  it('refuses to run in production without a prebuilt workflow bundle', async () => {
    const config = loadConfig('worker', workerConfigSchema, { ...base, NODE_ENV: 'production' });
    await expect(createJourneyWorker(config)).rejects.toThrow(/WORKFLOW_BUNDLE_PATH is required when NODE_ENV=production/);
  });

  it('names every invalid variable', () => {
    expect(() =>
      loadConfig('worker', workerConfigSchema, { ...base, TWILIO_FROM_NUMBER: '12345', ABANDONED_CART_IDLE_TIMEOUT: 'soon', DATABASE_URL: 'nope' }),
    ).toThrow(/DATABASE_URL: Invalid url[\s\S]*TWILIO_FROM_NUMBER: must be an E\.164 number[\s\S]*ABANDONED_CART_IDLE_TIMEOUT: must be a duration/);
  });

  it('parses the egress settings, naming a bad network or bound', () => {
    const defaults = loadConfig('worker', workerConfigSchema, base);
    expect(defaults).toMatchObject({ EGRESS_ALLOWED_NETWORKS: [], EGRESS_MAX_RESPONSE_BYTES: 262_144, EGRESS_TIMEOUT_MS: 10_000 });
    const allowed = loadConfig('worker', workerConfigSchema, { ...base, EGRESS_ALLOWED_NETWORKS: ' 10.20.0.0/16, 127.0.0.1 ,fd00::/8' });
    expect(allowed.EGRESS_ALLOWED_NETWORKS.map((network) => network.cidr)).toEqual(['10.20.0.0/16', '127.0.0.1/32', 'fd00::/8']);
    expect(() => loadConfig('worker', workerConfigSchema, { ...base, EGRESS_ALLOWED_NETWORKS: '10.0.0.0/8,intranet', EGRESS_TIMEOUT_MS: '0', EGRESS_MAX_RESPONSE_BYTES: 'lots' })).toThrow(
      /EGRESS_ALLOWED_NETWORKS: "intranet" is not a network in CIDR notation[\s\S]*EGRESS_MAX_RESPONSE_BYTES: Expected number[\s\S]*EGRESS_TIMEOUT_MS: Number must be greater than or equal to 100/,
    );
  });

  it('refuses worker versioning with one of WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID, before opening anything', async () => {
    const onlyBuild = loadConfig('worker', workerConfigSchema, { ...base, WORKER_BUILD_ID: '2026-12-05.1' });
    await expect(createJourneyWorker(onlyBuild)).rejects.toThrow(/WORKER_DEPLOYMENT_NAME: must be set when WORKER_BUILD_ID is/);
    const onlyName = loadConfig('worker', workerConfigSchema, { ...base, WORKER_DEPLOYMENT_NAME: 'continuum' });
    await expect(createJourneyWorker(onlyName)).rejects.toThrow(/WORKER_BUILD_ID: must be set when WORKER_DEPLOYMENT_NAME is/);
  });

  it('reports an unreachable PostgreSQL by host, without the password', async () => {
    const config = loadConfig('worker', workerConfigSchema, base);
    const failure = createJourneyWorker(config);
    await expect(failure).rejects.toThrow(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none/);
    await expect(failure).rejects.not.toThrow(/postgres:x@/);
  });

  it('reads the warehouse settings, with defaults, and refuses a warehouse URL that is not PostgreSQL', () => {
    const defaults = loadConfig('worker', workerConfigSchema, base);
    expect(defaults.WAREHOUSE_URL).toBeUndefined();
    expect(defaults).toMatchObject({ LOOKUP_TIMEOUT_MS: 2000, LOOKUP_MAX_ROWS: 100 });
    const blank = loadConfig('worker', workerConfigSchema, { ...base, WAREHOUSE_URL: ' ', LOOKUP_TIMEOUT_MS: '500' });
    expect(blank.WAREHOUSE_URL).toBeUndefined();
    expect(blank.LOOKUP_TIMEOUT_MS).toBe(500);
    expect(() => loadConfig('worker', workerConfigSchema, { ...base, WAREHOUSE_URL: 'mysql://db/dw', LOOKUP_MAX_ROWS: '0' })).toThrow(
      /WAREHOUSE_URL: must be a postgres:\/\/ URL[\s\S]*LOOKUP_MAX_ROWS/,
    );
  });

  it('registers the lookup activity, which says WAREHOUSE_URL is missing when it is', async () => {
    const config = loadConfig('worker', workerConfigSchema, base);
    const activities = buildActivities({ dataSource: createDataSource(config.DATABASE_URL), twilio: {} as MessageProvider, config });
    await expect(activities.runLookup({ name: 'loyalty-points', params: { user_id: 'ana' } })).rejects.toMatchObject({
      type: 'WarehouseNotConfigured',
      nonRetryable: true,
      message: 'Lookup "loyalty-points" needs a warehouse: set WAREHOUSE_URL on the worker',
    });
  });
});

describe('prebuilt workflow bundles', () => {
  it('npm run bundle:workflows writes the bundle without the tracing interceptors and its traced sibling with them; the worker loads the one its tracing asks for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'continuum-bundles-'));
    try {
      const target = join(dir, 'workflow-bundle.js');
      const root = resolve(__dirname, '../../..');
      execFileSync(process.execPath, ['-r', join(root, 'tools/register.cjs'), join(root, 'services/worker/src/bundle.ts'), target], { cwd: root, stdio: 'pipe' });
      const plain = readFileSync(target, 'utf8');
      const traced = readFileSync(join(dir, 'workflow-bundle.traced.js'), 'utf8');
      // Both carry every workflow; only the traced one wraps them in spans.
      for (const code of [plain, traced]) expect(code).toContain('abandonedCart');
      expect(plain).not.toContain('OpenTelemetryInboundInterceptor');
      expect(traced).toContain('OpenTelemetryInboundInterceptor');
      expect(prebuiltBundle(target, false)).toBe(target);
      expect(prebuiltBundle(target, true)).toBe(join(dir, 'workflow-bundle.traced.js'));
      rmSync(join(dir, 'workflow-bundle.traced.js'));
      expect(() => prebuiltBundle(target, true)).toThrow(/TRACES_EXPORTER is set[\s\S]*workflow-bundle\.traced\.js, which does not exist[\s\S]*npm run bundle:workflows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
