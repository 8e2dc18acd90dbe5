import type { HttpError } from './http-io';
import { twilioError } from './twilio-error';

/** A Content Template SID as Twilio issues them: `HX` and 32 hex digits. */
export const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * The approved WhatsApp templates the emulator knows unless EMULATOR_WHATSAPP_CONTENT replaces them:
 * SID → template text with Twilio's numbered `{{1}}` placeholders.
 */
export const DEFAULT_WHATSAPP_CONTENT: Readonly<Record<string, string>> = {
  HX00000000000000000000000000000001: 'Hi {{1}}, you left something in your cart. Pick up where you left off: {{2}}',
  HX00000000000000000000000000000002: 'Your order {{1}} is on its way and should arrive on {{2}}.',
};

/** Validates a SID → template map (from settings or EMULATOR_WHATSAPP_CONTENT); throws an Error naming the bad entry. */
export function validateWhatsAppContent(content: Readonly<Record<string, unknown>>, source = 'whatsappContent'): Record<string, string> {
  const entries = Object.entries(content);
  if (entries.length === 0) throw new Error(`${source} must name at least one template`);
  for (const [sid, text] of entries) {
    if (!CONTENT_SID.test(sid)) throw new Error(`${source}: '${sid}' is not a Content SID (HX followed by 32 hex digits)`);
    if (typeof text !== 'string' || text.trim() === '') throw new Error(`${source}: the template of ${sid} must be a non-empty string`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Parses EMULATOR_WHATSAPP_CONTENT: a JSON object of SID → template text. */
export function parseWhatsAppContentEnv(raw: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`EMULATOR_WHATSAPP_CONTENT is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('EMULATOR_WHATSAPP_CONTENT must be a JSON object of Content SID → template text');
  }
  return validateWhatsAppContent(value as Record<string, unknown>, 'EMULATOR_WHATSAPP_CONTENT');
}

/**
 * ContentVariables as Twilio takes them: a JSON object string of placeholder → non-empty string value.
 * Anything else is 21656 ("The ContentVariables Parameter is invalid").
 */
export function parseContentVariables(raw: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidVariables(`ContentVariables is not valid JSON: ${raw.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidVariables('ContentVariables must be a JSON object such as {"1":"Ana","2":"https://shop.example/cart"}');
  }
  const variables: Record<string, string> = {};
  for (const [name, variable] of Object.entries(value)) {
    if (typeof variable !== 'string' || variable.trim() === '') {
      throw invalidVariables(`ContentVariables '${name}' must be a non-empty string`);
    }
    variables[name] = variable;
  }
  return variables;
}

/** The template text with every `{{n}}` replaced; a placeholder without a value is 21656. */
export function renderContent(sid: string, template: string, variables: Readonly<Record<string, string>>): string {
  const missing = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => variables[name] === undefined);
  if (missing.length > 0) {
    throw invalidVariables(`ContentVariables has no value for placeholder(s) ${missing.map((name) => `{{${name}}}`).join(', ')} of ${sid}`);
  }
  return template.replace(PLACEHOLDER, (_match, name: string) => variables[name]!);
}

function invalidVariables(detail: string): HttpError {
  return twilioError(21656, `The ContentVariables Parameter is invalid. ${detail}`);
}
