import fc from 'fast-check';

/**
 * A worker environment whose PostgreSQL is unreachable: enough for the configuration to load, and
 * `createJourneyWorker` stops at opening the database (after its configuration checks).
 */
export const UNREACHABLE_WORKER_ENV = {
  DATABASE_URL: 'postgres://postgres:x@127.0.0.1:1/none',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM_NUMBER: '+15005550006',
};

/** Values an on/off setting must refuse: any short text, and near misses and hostile ones (NUL bytes, lone surrogates, 100 kB). */
export const notOnOrOff = (nearMisses: readonly string[]) =>
  fc
    .oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom(...nearMisses, '\ud800', 'x'.repeat(100_000)))
    .filter((value) => value !== 'on' && value !== 'off');
