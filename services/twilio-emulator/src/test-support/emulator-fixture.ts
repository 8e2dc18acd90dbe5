import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import type { EmulatorLogger } from '../emulator-logger';
import { createTwilioEmulator, type EmulatorSettings, type TwilioEmulator } from '../twilio-emulator';

export interface RunningEmulator {
  emulator: TwilioEmulator;
  url: string;
  settings: EmulatorSettings;
  logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
  /** Calls the emulator with the account's Basic credentials unless `auth: false`. */
  request(path: string, init?: RequestInit & { auth?: boolean; form?: Record<string, string> }): Promise<Response>;
}

/** Test-only: an emulator on a free loopback port with the development credentials and a fast status clock. */
export async function startEmulator(
  overrides: Partial<EmulatorSettings> = {},
  { callbackTimeoutMs = 1000 }: { callbackTimeoutMs?: number } = {},
): Promise<RunningEmulator> {
  const settings: EmulatorSettings = {
    accountSid: EMULATOR_ACCOUNT_SID,
    authToken: EMULATOR_AUTH_TOKEN,
    statusDelayMs: 20,
    ...overrides,
  };
  const logs: RunningEmulator['logs'] = [];
  const logger: EmulatorLogger = (level, message, fields) => logs.push({ level, message, fields });
  const emulator = createTwilioEmulator(settings, { logger, callbackTimeoutMs });
  const { url } = await emulator.listen(0, '127.0.0.1');
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;

  return {
    emulator,
    url,
    settings,
    logs,
    request(path, { auth = true, form, headers, ...init } = {}) {
      const allHeaders = new Headers(headers);
      if (auth) allHeaders.set('authorization', authorization);
      let body = init.body;
      if (form) {
        allHeaders.set('content-type', 'application/x-www-form-urlencoded');
        body = new URLSearchParams(form).toString();
      }
      return fetch(`${url}${path}`, { ...init, headers: allHeaders, body, method: init.method ?? (body ? 'POST' : 'GET') });
    },
  };
}

export const MESSAGES_PATH = `/2010-04-01/Accounts/${EMULATOR_ACCOUNT_SID}/Messages.json`;
