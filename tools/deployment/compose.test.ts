import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { emulatorConfigSchema, gatewayConfigSchema, temporalEngineConfigSchema, workerConfigSchema } from '@continuum/config';
import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';
import { TEMPORAL_SERVER_DYNAMIC_CONFIG } from '@continuum/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_SERVER_VERSION } from '../provision/temporal-server';

// Static checks of docker-compose.yml for machines without a Docker engine (CI); the full check
// is `docker compose config -q` where the compose plugin exists.

const root = join(__dirname, '..', '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const envExample = readFileSync(join(root, '.env.example'), 'utf8');

interface Service {
  build?: { context: string; dockerfile: string };
  command?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  environment?: Record<string, string>;
  healthcheck?: unknown;
  image?: string;
  profiles?: string[];
  volumes?: string[];
}

const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; configs: Record<string, { content: string }> };
const { services } = compose;

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** A compose value as it is when the variables it interpolates are unset (`${NAME:-default}`, `${NAME-default}`). */
function unsetValue(value: string): string {
  return value.replace(/\$\{\w+:?-([^}]*)\}/g, (_match, fallback: string) => fallback);
}

/** Variables a schema needs from the environment: neither optional nor defaulted. */
function requiredKeys(schema: z.AnyZodObject): string[] {
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>)
    .filter(([, field]) => !field.isOptional())
    .map(([name]) => name);
}

describe('docker-compose.yml', () => {
  it('defines the deployment and keeps the emulator behind a profile', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'gateway',
        'grafana',
        'migrate',
        'prometheus',
        'postgresql',
        'temporal',
        'temporal-admin-tools',
        'temporal-search-attributes',
        'temporal-ui',
        'twilio-emulator',
        'worker',
      ].sort(),
    );
    expect(service('twilio-emulator').profiles).toEqual(['emulator']);
    expect(service('prometheus').profiles).toEqual(['monitoring']);
    expect(service('grafana').profiles).toEqual(['monitoring']);
  });

  it('mounts only files and folders of the repository that exist', () => {
    const mounts = Object.entries(services).flatMap(([name, definition]) =>
      (definition.volumes ?? []).filter((volume) => volume.startsWith('./')).map((volume) => ({ name, path: volume.split(':')[0]! })),
    );
    expect(mounts.map(({ path }) => path).sort()).toEqual(['./deploy/grafana/dashboards', './deploy/grafana/provisioning', './deploy/prometheus/prometheus.yml', './deploy/prometheus/rules'].sort());
    for (const { name, path } of mounts) expect(existsSync(join(root, path)), `${name} mounts ${path}`).toBe(true);
  });

  it('orders start-up on health checks and completed one-shot jobs', () => {
    const jobs = new Set(['temporal-admin-tools', 'temporal-search-attributes', 'migrate']);
    for (const [name, definition] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        if (jobs.has(dependency)) {
          expect(condition, `${name} -> ${dependency}`).toBe('service_completed_successfully');
        } else {
          expect(condition, `${name} -> ${dependency}`).toBe('service_healthy');
          expect(services[dependency]!.healthcheck, `${dependency} needs a healthcheck`).toBeDefined();
        }
      }
    }
  });

  it('builds every Node service from a Dockerfile that exists', () => {
    for (const name of ['gateway', 'worker', 'migrate', 'twilio-emulator']) {
      const { build } = service(name);
      expect(build, name).toBeDefined();
      expect(existsSync(join(root, build!.context, build!.dockerfile)), build!.dockerfile).toBe(true);
    }
  });

  it('copies the package patches into every Node image before installing, so the postinstall applies them', () => {
    for (const name of ['gateway', 'worker', 'twilio-emulator']) {
      const dockerfile = readFileSync(join(root, service(name).build!.dockerfile), 'utf8');
      const patches = dockerfile.indexOf('COPY patches ./patches');
      const install = dockerfile.indexOf('RUN npm install');
      expect(patches, `${name}: COPY patches ./patches`).toBeGreaterThan(-1);
      expect(install, `${name}: npm install after the patches`).toBeGreaterThan(patches);
    }
  });

  it('builds the console into the gateway image, after the sources are copied in', () => {
    const dockerfile = readFileSync(join(root, service('gateway').build!.dockerfile), 'utf8');
    const copy = dockerfile.indexOf('COPY . .');
    const build = dockerfile.indexOf('RUN npm run build:console');
    expect(copy).toBeGreaterThan(-1);
    expect(build).toBeGreaterThan(copy);
  });

  it('registers exactly the journey search attributes, all as Keyword', () => {
    const script = service('temporal-search-attributes').command!.join('\n');
    const registered = [...script.matchAll(/--name (\w+) --type (\w+)/g)].map(([, name, type]) => ({ name, type }));
    expect(registered.map(({ name }) => name).sort()).toEqual([...JOURNEY_SEARCH_ATTRIBUTES].sort());
    expect(new Set(registered.map(({ type }) => type))).toEqual(new Set(['Keyword']));
  });

  it.each([
    ['gateway', gatewayConfigSchema],
    ['worker', workerConfigSchema],
    ['twilio-emulator', emulatorConfigSchema],
  ] as const)('gives %s every variable its config schema requires, and no unknown ones', (name, schema) => {
    const environment = Object.keys(service(name).environment ?? {});
    const known = new Set([...Object.keys(schema.shape), 'NODE_ENV']);
    expect(environment.filter((key) => !known.has(key))).toEqual([]);
    expect(requiredKeys(schema).filter((key) => !environment.includes(key))).toEqual([]);
  });

  it('documents in .env.example every variable it interpolates, and uses every one documented', () => {
    const code = composeText
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');
    const interpolated = new Set([...code.matchAll(/(?<!\$)\$\{(\w+)/g)].map(([, name]) => name!));
    const documented = new Set([...envExample.matchAll(/^(\w+)=/gm)].map(([, name]) => name!));
    expect([...interpolated].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !interpolated.has(name))).toEqual([]);
  });

  it.each([
    ['gateway', gatewayConfigSchema],
    ['worker', workerConfigSchema],
  ] as const)('sets every setting %s reads, to the code\'s own default where the code has one', (name, schema) => {
    const environment = service(name).environment ?? {};
    expect(Object.keys(schema.shape).filter((key) => !(key in environment))).toEqual([]);
    const unset = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, unsetValue(String(value))]));
    const inCompose = schema.parse(unset) as Record<string, unknown>;
    // Only what an operator may override (`${KEY:-…}`); fixed values (GATEWAY_HOST=0.0.0.0) are the deployment's own.
    const overridable = Object.keys(schema.shape).filter((key) => new RegExp(`^\\$\\{${key}:?-`).test(String(environment[key])));
    const differing = overridable.filter((key) => {
      const { [key]: _left, ...rest } = unset;
      const withoutIt = schema.safeParse(rest);
      const codeDefault = withoutIt.success ? (withoutIt.data as Record<string, unknown>)[key] : undefined;
      return codeDefault !== undefined && !isDeepStrictEqual(codeDefault, inCompose[key]);
    });
    expect(differing).toEqual([]);
  });

  it('runs the Temporal server, admin tools and Web UI that engine mode `server` runs, with its dynamic config', () => {
    const tag = (name: string) => unsetValue(service(name).image!).split(':').at(-1);
    expect(tag('temporal')).toBe(TEMPORAL_SERVER_VERSION);
    // admin-tools images are published per minor version; their temporal-sql-tool carries that version's schemas.
    expect(tag('temporal-admin-tools')).toBe(TEMPORAL_SERVER_VERSION.split('.').slice(0, 2).join('.'));
    expect(tag('temporal-search-attributes')).toBe(tag('temporal-admin-tools'));
    expect(tag('temporal-ui')).toBe(TEMPORAL_UI_SERVER_VERSION);
    const dynamic = parse(compose.configs['temporal-dynamic-config']!.content) as Record<string, Array<{ value: unknown; constraints: object }>>;
    expect(Object.fromEntries(Object.entries(dynamic).map(([key, [entry]]) => [key, entry!.value]))).toEqual(TEMPORAL_SERVER_DYNAMIC_CONFIG);
    expect(Object.values(dynamic).every((entries) => entries.length === 1 && Object.keys(entries[0]!.constraints).length === 0)).toBe(true);
  });

  it('creates the cluster with the history shards and namespace retention engine mode `server` defaults to', () => {
    const defaults = temporalEngineConfigSchema.parse({});
    const fromCompose = temporalEngineConfigSchema.parse({
      TEMPORAL_HISTORY_SHARDS: unsetValue(service('temporal').environment!['NUM_HISTORY_SHARDS']!),
      TEMPORAL_NAMESPACE_RETENTION: unsetValue(service('temporal-search-attributes').environment!['TEMPORAL_NAMESPACE_RETENTION']!),
    });
    expect(fromCompose.TEMPORAL_HISTORY_SHARDS).toBe(defaults.TEMPORAL_HISTORY_SHARDS);
    expect(fromCompose.TEMPORAL_NAMESPACE_RETENTION).toBe(defaults.TEMPORAL_NAMESPACE_RETENTION);
  });
});
