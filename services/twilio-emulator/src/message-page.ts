import type { EmulatedMessage } from './message-store';
import { messagesUri, toMessageResource } from './message-resource';
import { twilioError } from './twilio-error';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
const FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

/**
 * Read Messages with Twilio's paging envelope, newest first. Filters: To, From, DateSent (same UTC day),
 * DateSent< (on or before), DateSent> (on or after); dates as YYYY-MM-DD or ISO-8601.
 */
export function messagePage(accountSid: string, all: EmulatedMessage[], query: URLSearchParams): Record<string, unknown> {
  const pageSize = integerParam(query, 'PageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const page = integerParam(query, 'Page', 0, 0, Number.MAX_SAFE_INTEGER);
  const matching = all.filter(matcher(query)).reverse();
  const start = page * pageSize;
  const items = matching.slice(start, start + pageSize);

  const filters = new URLSearchParams();
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value !== null) filters.set(name, value);
  }
  const pageUri = (index: number, withToken: boolean) => {
    const params = new URLSearchParams(filters);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(index));
    if (withToken) params.set('PageToken', `PA${index}`);
    return `${messagesUri(accountSid)}?${params.toString()}`;
  };

  return {
    first_page_uri: pageUri(0, false),
    end: items.length === 0 ? start : start + items.length - 1,
    previous_page_uri: page > 0 ? pageUri(page - 1, true) : null,
    messages: items.map(toMessageResource),
    uri: pageUri(page, page > 0),
    page_size: pageSize,
    start,
    next_page_uri: start + pageSize < matching.length ? pageUri(page + 1, true) : null,
    page,
  };
}

function matcher(query: URLSearchParams): (message: EmulatedMessage) => boolean {
  const to = query.get('To');
  const from = query.get('From');
  const onDay = dateParam(query, 'DateSent');
  const until = dateParam(query, 'DateSent<');
  const since = dateParam(query, 'DateSent>');
  return (message) => {
    if (to !== null && message.to !== to) return false;
    if (from !== null && message.from !== from) return false;
    if (!onDay && !until && !since) return true;
    if (message.dateSent === null) return false;
    const sent = Date.parse(message.dateSent);
    if (onDay && (sent < onDay.dayStart || sent >= onDay.dayStart + DAY_MS)) return false;
    if (until && sent > (until.dateOnly ? until.dayStart + DAY_MS - 1 : until.instant)) return false;
    if (since && sent < (since.dateOnly ? since.dayStart : since.instant)) return false;
    return true;
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function dateParam(query: URLSearchParams, name: string): { instant: number; dayStart: number; dateOnly: boolean } | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const instant = Date.parse(dateOnly ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(instant)) throw twilioError(20001, `${name} must be a date (YYYY-MM-DD or ISO-8601), got '${raw}'`);
  return { instant, dayStart: instant - (instant % DAY_MS), dateOnly };
}

function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw twilioError(20001, `${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  }
  return value;
}
