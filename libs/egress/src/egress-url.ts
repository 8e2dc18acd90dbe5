import { EgressError } from './egress-error';

/** Longest URL an outbound call may take (characters, as given). */
export const MAX_URL_LENGTH = 2048;

/**
 * Checks a URL an outbound call is asked to reach, before any DNS: absolute http(s), no
 * credentials, a host, at most MAX_URL_LENGTH characters. Returns the parsed URL (the WHATWG
 * parser normalises hosts: `http://0x7f.1/` is `127.0.0.1`, which the address check then sees).
 */
export function checkEgressUrl(text: string): URL {
  if (typeof text !== 'string' || text.trim() === '') throw new EgressError('invalid-url', 'the URL is empty');
  if (text.length > MAX_URL_LENGTH) throw new EgressError('invalid-url', `the URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EgressError('invalid-url', 'the URL is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EgressError('invalid-url', `the URL's scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username !== '' || url.password !== '') throw new EgressError('invalid-url', 'the URL must not carry credentials (user:password@); send them in a header');
  if (url.hostname === '') throw new EgressError('invalid-url', 'the URL has no host');
  return url;
}

/** The URL as it may be shown (journal, logs): origin and path, without the query or fragment that may carry tokens. */
export function redactedUrl(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}
