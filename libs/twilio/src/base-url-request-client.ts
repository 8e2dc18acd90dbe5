import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/**
 * Moves an SDK request URI (always https://<product>.twilio.com/...) onto `baseUrl`,
 * keeping its path and query; a path in `baseUrl` becomes a prefix.
 */
export function rewriteToBaseUrl(uri: string, baseUrl: string): string {
  const target = new URL(baseUrl);
  const source = new URL(uri);
  const prefix = target.pathname.replace(/\/+$/, '');
  return `${target.origin}${prefix}${source.pathname}${source.search}`;
}

/** The SDK's own HTTP client, pointed at a Twilio-compatible API (the local emulator) instead of *.twilio.com. */
export class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(
    readonly baseUrl: string,
    options?: RequestClient.RequestClientOptions,
  ) {
    super(options);
    // Fail at construction, not on the first send, when the URL is unusable.
    new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request({ ...opts, uri: rewriteToBaseUrl(opts.uri, this.baseUrl) });
  }
}
