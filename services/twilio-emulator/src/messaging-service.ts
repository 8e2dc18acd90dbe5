import { bareNumber } from './addresses';

/** A Messaging Service SID: `MG` and 32 hex digits. */
export const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** The emulator's one Messaging Service unless EMULATOR_MESSAGING_SERVICE_SID names another. */
export const DEFAULT_MESSAGING_SERVICE_SID = 'MG00000000000000000000000000000000';

/** The RCS agent in that service's sender pool unless EMULATOR_RCS_AGENT names another. */
export const DEFAULT_RCS_AGENT = 'rcs:continuum_agent';

export interface MessagingService {
  sid: string;
  /** `rcs:<agent id>`: tried first for plain `+E164` recipients. */
  rcsSender: string;
  /** The SMS/MMS number of the pool: the fallback for recipients that cannot take RCS. */
  smsSender: string;
}

/** `continuum_agent` or `rcs:continuum_agent` → `rcs:continuum_agent`. */
export function normaliseRcsAgent(agent: string): string {
  const trimmed = agent.trim();
  return trimmed.startsWith('rcs:') ? trimmed : `rcs:${trimmed}`;
}

/**
 * Emulator-only (not Twilio's): handsets at +15005550600 … +15005550699 cannot take RCS; every other number can.
 */
export function isRcsCapable(address: string): boolean {
  return !/^\+150055506\d\d$/.test(bareNumber(address));
}
