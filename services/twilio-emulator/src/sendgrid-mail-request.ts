import { SendGridApiError, type SendGridErrorItem } from './sendgrid-error';
import type { EmailAddress, EmailPersonalization } from './sendgrid-email-store';

const MAX_PERSONALIZATIONS = 1000;
const MAX_CATEGORIES = 10;
const MAX_CATEGORY_LENGTH = 255;
// Deliberately loose, like SendGrid's own check: one @, no spaces, a dot in the domain.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;

export interface MailSendRequest {
  from: EmailAddress;
  replyTo: EmailAddress | null;
  subject: string | null;
  content: Array<{ type: string; value: string }>;
  templateId: string | null;
  personalizations: EmailPersonalization[];
  categories: string[];
  customArgs: Record<string, string>;
}

/**
 * Validates a v3 Mail Send body the way SendGrid does: every problem is reported at once, each naming its
 * `field` (`personalizations.0.to.0.email`, `from.email`, `subject`, `content.0.value`, …). Throws a 400.
 */
export function parseMailSendRequest(body: Record<string, unknown>): MailSendRequest {
  const errors: SendGridErrorItem[] = [];
  const fail = (field: string, message: string) => errors.push({ message, field, help: null });

  const templateId = optionalString(body['template_id']);
  if (body['template_id'] !== undefined && templateId === null) fail('template_id', 'The template_id must be a non-empty string.');

  const personalizations = parsePersonalizations(body['personalizations'], fail);
  const from = parseAddress(body['from'], 'from', fail, 'The from object must be provided for every email send, with a valid email.');
  const replyTo = body['reply_to'] === undefined ? null : parseAddress(body['reply_to'], 'reply_to', fail, 'The reply_to email must be a valid address.');

  const subject = optionalString(body['subject']);
  const everyPersonalizationHasSubject = personalizations.length > 0 && personalizations.every((p) => p.subject !== null);
  if (body['subject'] !== undefined && typeof body['subject'] !== 'string') fail('subject', 'The subject must be a string.');
  else if (subject === null && templateId === null && !everyPersonalizationHasSubject) {
    fail('subject', 'The subject is required unless a template_id is given or every personalization has a subject.');
  }

  const content = parseContent(body['content'], templateId !== null, fail);
  const categories = parseCategories(body['categories'], fail);
  const customArgs = parseCustomArgs(body['custom_args'], 'custom_args', fail);

  if (errors.length > 0) throw new SendGridApiError(400, errors);
  return { from: from!, replyTo, subject, content, templateId, personalizations, categories, customArgs };
}

type Fail = (field: string, message: string) => void;

function parsePersonalizations(value: unknown, fail: Fail): EmailPersonalization[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail('personalizations', 'The personalizations field is required and must have at least one personalization.');
    return [];
  }
  if (value.length > MAX_PERSONALIZATIONS) {
    fail('personalizations', `The personalizations field may have at most ${MAX_PERSONALIZATIONS} personalizations.`);
  }
  return value.map((entry, index) => {
    const path = `personalizations.${index}`;
    if (!isRecord(entry)) {
      fail(path, 'Each personalization must be an object.');
      return { to: [], cc: [], bcc: [], subject: null, customArgs: {} };
    }
    if (!Array.isArray(entry['to']) || entry['to'].length === 0) {
      fail(`${path}.to`, 'The to array is required for every personalization and must hold at least one email object with a valid address.');
    }
    const to = parseAddressList(entry['to'], `${path}.to`, fail);
    const cc = parseAddressList(entry['cc'], `${path}.cc`, fail);
    const bcc = parseAddressList(entry['bcc'], `${path}.bcc`, fail);
    const seen = new Set<string>();
    for (const { email } of [...to, ...cc, ...bcc]) {
      const key = email.toLowerCase();
      if (seen.has(key)) {
        fail(path, `Each email address in a personalization must be unique across to, cc and bcc; ${email} appears twice.`);
        break;
      }
      seen.add(key);
    }
    if (entry['subject'] !== undefined && typeof entry['subject'] !== 'string') fail(`${path}.subject`, 'The subject must be a string.');
    return {
      to,
      cc,
      bcc,
      subject: optionalString(entry['subject']),
      customArgs: parseCustomArgs(entry['custom_args'], `${path}.custom_args`, fail),
    };
  });
}

function parseAddressList(value: unknown, path: string, fail: Fail): EmailAddress[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fail(path, `The ${path.split('.').at(-1)} field must be an array of email objects.`);
    return [];
  }
  return value.flatMap((entry, index) => {
    const address = parseAddress(entry, `${path}.${index}`, fail, 'Does not contain a valid address.');
    return address ? [address] : [];
  });
}

function parseAddress(value: unknown, path: string, fail: Fail, message: string): EmailAddress | null {
  const email = isRecord(value) ? value['email'] : undefined;
  if (typeof email !== 'string' || !EMAIL.test(email.trim())) {
    fail(`${path}.email`, message);
    return null;
  }
  const name = isRecord(value) && typeof value['name'] === 'string' ? value['name'] : undefined;
  return name === undefined ? { email: email.trim() } : { email: email.trim(), name };
}

function parseContent(value: unknown, hasTemplate: boolean, fail: Fail): Array<{ type: string; value: string }> {
  if (value === undefined && hasTemplate) return [];
  if (!Array.isArray(value) || value.length === 0) {
    fail('content', 'Unless a template_id is given, the content array is required and must hold at least one object with a type and a value.');
    return [];
  }
  return value.flatMap((entry, index) => {
    const type = isRecord(entry) ? entry['type'] : undefined;
    const text = isRecord(entry) ? entry['value'] : undefined;
    if (typeof type !== 'string' || type.trim() === '') fail(`content.${index}.type`, 'The content type must be a non-empty string such as text/plain.');
    if (typeof text !== 'string' || text === '') fail(`content.${index}.value`, 'The content value must be a string at least one character long.');
    return typeof type === 'string' && typeof text === 'string' ? [{ type, value: text }] : [];
  });
}

function parseCategories(value: unknown, fail: Fail): string[] {
  if (value === undefined) return [];
  const valid =
    Array.isArray(value) &&
    value.length <= MAX_CATEGORIES &&
    value.every((category) => typeof category === 'string' && category !== '' && category.length <= MAX_CATEGORY_LENGTH);
  if (!valid) {
    fail('categories', `The categories must be an array of at most ${MAX_CATEGORIES} non-empty strings of up to ${MAX_CATEGORY_LENGTH} characters.`);
    return [];
  }
  return value as string[];
}

function parseCustomArgs(value: unknown, path: string, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || !Object.values(value).every((arg) => typeof arg === 'string')) {
    fail(path, 'The custom_args must be an object whose values are all strings.');
    return {};
  }
  return value as Record<string, string>;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
