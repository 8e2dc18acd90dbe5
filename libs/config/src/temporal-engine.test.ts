import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRetention, temporalEngineConfigSchema } from './index';

const HOUR_MS = 3_600_000;
const load = (env: Record<string, string | undefined>) => loadConfig('npm start', temporalEngineConfigSchema, env);

describe('temporalEngineConfigSchema', () => {
  it('defaults to the dev server, 4 history shards and 7 days of retention', () => {
    expect(load({})).toEqual({ TEMPORAL_ENGINE: 'dev', TEMPORAL_HISTORY_SHARDS: 4, TEMPORAL_NAMESPACE_RETENTION: 168 * HOUR_MS });
  });

  it('takes the real server with its shards and retention', () => {
    expect(load({ TEMPORAL_ENGINE: 'server', TEMPORAL_HISTORY_SHARDS: '16', TEMPORAL_NAMESPACE_RETENTION: '3d' })).toEqual({
      TEMPORAL_ENGINE: 'server',
      TEMPORAL_HISTORY_SHARDS: 16,
      TEMPORAL_NAMESPACE_RETENTION: 72 * HOUR_MS,
    });
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      load({ TEMPORAL_ENGINE: 'cluster', TEMPORAL_HISTORY_SHARDS: '0', TEMPORAL_NAMESPACE_RETENTION: '30m' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(/^TEMPORAL_ENGINE: .*'dev' \| 'server'/);
    expect(issues[1]).toMatch(/^TEMPORAL_HISTORY_SHARDS: /);
    expect(issues[2]).toMatch(/^TEMPORAL_NAMESPACE_RETENTION: must be whole hours or days/);
  });
});

describe('parseRetention', () => {
  it('reads hours and days of at least a day, in any case and with spaces around', () => {
    fc.assert(
      fc.property(fc.integer({ min: 24, max: 100_000 }), fc.constantFrom('h', 'H'), fc.constantFrom('', ' '), (hours, unit, pad) => {
        expect(parseRetention(`${pad}${hours}${pad}${unit}${pad}`)).toBe(hours * HOUR_MS);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom('d', 'D'), (days, unit) => {
        expect(parseRetention(`${days}${unit}`)).toBe(days * 24 * HOUR_MS);
      }),
    );
  });

  it('refuses less than a day, with the value named', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), (hours) => {
        expect(() => parseRetention(`${hours}h`)).toThrow(`must be at least 24h (Temporal's shortest retention), got "${hours}h"`);
      }),
    );
    expect(() => parseRetention('0d')).toThrow(/at least 24h/);
  });

  it('refuses anything that is not whole hours or days', () => {
    fc.assert(
      fc.property(
        fc.string().filter((value) => !/^\s*\d+\s*[hd]\s*$/i.test(value)),
        (value) => {
          expect(() => parseRetention(value)).toThrow(/must be whole hours or days/);
        },
      ),
    );
    for (const value of ['1.5d', '-48h', '48', 'h', '7 days', '168h30m']) expect(() => parseRetention(value)).toThrow(/whole hours or days/);
  });
});
