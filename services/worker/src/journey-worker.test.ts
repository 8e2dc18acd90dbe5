import { describe, expect, it } from 'vitest';
import { loadConfig, workerConfigSchema } from '@continuum/config';
import { createJourneyWorker } from './journey-worker';

const base = {
  DATABASE_URL: 'postgres://postgres:x@127.0.0.1:1/none',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM_NUMBER: '+15005550006',
};

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

  it('reports an unreachable PostgreSQL by host, without the password', async () => {
    const config = loadConfig('worker', workerConfigSchema, base);
    const failure = createJourneyWorker(config);
    await expect(failure).rejects.toThrow(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none/);
    await expect(failure).rejects.not.toThrow(/postgres:x@/);
  });
});
