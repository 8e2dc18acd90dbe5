import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, validateHeaderName, validateHeaderValue, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusalOf, type EgressPolicy } from './address-policy';
import { EgressError } from './egress-error';
import { checkEgressUrl } from './egress-url';

export const EGRESS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type EgressMethod = (typeof EGRESS_METHODS)[number];

/** Headers the transport owns (framing, connection, target): a caller may not set them. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-authorization', 'proxy-connection']);

export interface EgressRequest {
  url: string;
  method: EgressMethod;
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange (DNS, connect, request, response body) must end within this. */
  timeoutMs: number;
  /** A response body larger than this fails with `response-too-large`. */
  maxResponseBytes: number;
  policy: EgressPolicy;
}

export interface EgressResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A DNS lookup for the socket's connect that refuses, at connect time, a host with any address the
 * policy does not allow: what was checked is what is connected to, so a DNS answer that changes
 * between a check and the connect (rebinding) cannot slip through.
 */
export function guardedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const range = refusalOf(address, policy);
        if (range) return callback(refusedError(hostname, address, range), '', 0);
      }
      if (addresses.length === 0) return callback(new EgressError('network', `${hostname} has no address`), '', 0);
      if ((options as LookupOptions).all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function refusedError(host: string, address: string, range: string): EgressError {
  const what = host === address ? address : `${host} (${address})`;
  return new EgressError('refused', `${what} is a ${range} address, which outbound calls may not reach (allow it with EGRESS_ALLOWED_NETWORKS)`, { host, address, range });
}

/** Checks a request before it goes out: URL, method, headers, and a host given as an address. */
export function checkEgressRequest(request: Pick<EgressRequest, 'url' | 'method' | 'headers' | 'policy'>): URL {
  const url = checkEgressUrl(request.url);
  if (!(EGRESS_METHODS as readonly string[]).includes(request.method)) {
    throw new EgressError('invalid-request', `method must be one of ${EGRESS_METHODS.join(', ')}, not ${String(request.method)}`);
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw new EgressError('invalid-request', `header "${name.slice(0, 100)}" is not a valid header name and value`);
    }
    if (TRANSPORT_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-')) {
      throw new EgressError('invalid-request', `header "${name}" is set by the transport and may not be given`);
    }
  }
  // A host written as an address is connected to without a DNS lookup: check it here.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (/^[\d.]+$/.test(host) || host.includes(':')) {
    const range = refusalOf(host, request.policy);
    if (range) throw refusedError(host, host, range);
  }
  return url;
}

/**
 * Makes one outbound HTTP(S) request under the egress policy: the address is checked at connect
 * time, redirects are returned (never followed), the body is capped and the whole exchange is
 * bounded by `timeoutMs`. Fails with an EgressError.
 */
export async function egressRequest(request: EgressRequest): Promise<EgressResponse> {
  const url = checkEgressRequest(request);
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const options: RequestOptions = {
    method: request.method,
    headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    lookup: guardedLookup(request.policy),
    // No pooled sockets: every connection goes through the guarded lookup.
    agent: false,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<EgressResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, response?: EgressResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(response!);
    };
    const req = send(url, options, (res) => {
      // A HEAD response declares the length of a body it does not carry.
      const declared = request.method === 'HEAD' ? Number.NaN : Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > request.maxResponseBytes) {
        finish(tooLarge(request.maxResponseBytes, declared));
        return void res.destroy();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxResponseBytes) {
          finish(tooLarge(request.maxResponseBytes));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error) => finish(asEgressError(error)));
      res.on('aborted', () => finish(new EgressError('network', 'the connection closed before the response ended')));
    });
    const timer = setTimeout(() => {
      finish(new EgressError('timeout', `no complete response within ${request.timeoutMs} ms`));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error) => finish(asEgressError(error)));
    req.end(body);
  });
}

function tooLarge(max: number, declared?: number): EgressError {
  return new EgressError('response-too-large', `the response body is larger than ${max} bytes${declared !== undefined ? ` (${declared} declared)` : ''}`);
}

function asEgressError(error: Error): EgressError {
  if (error instanceof EgressError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new EgressError('network', `${code ? `${code}: ` : ''}${error.message}`);
}
