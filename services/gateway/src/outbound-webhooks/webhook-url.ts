import { EgressError, checkEgressUrl, refusalOf, type EgressPolicy } from '@continuum/egress';

/** Why a webhook endpoint URL is refused, or undefined when it may be used. */
export function webhookUrlProblem(text: string, policy: EgressPolicy): string | undefined {
  let url: URL;
  try {
    url = checkEgressUrl(text);
  } catch (error) {
    if (error instanceof EgressError) return error.message;
    throw error;
  }
  const bracketed = url.hostname.startsWith('[');
  const host = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  // A name under .localhost always means this machine: judge it as the loopback address.
  const address = host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : /^[\d.]+$/.test(host) || host.includes(':') ? host : undefined;
  if (address !== undefined) {
    const refused = refusalOf(address, policy);
    if (refused) return `${host} is a ${refused} address, which webhooks may not reach (allow it with EGRESS_ALLOWED_NETWORKS)`;
  }
  // Plain http only to a non-public address the configuration allows (a receiver on loopback in development and tests).
  const allowedPrivate = address !== undefined && refusalOf(address, { allowedNetworks: [] }) !== undefined;
  if (url.protocol === 'http:' && !allowedPrivate) return 'the URL must be https (http only to a non-public address EGRESS_ALLOWED_NETWORKS allows)';
  return undefined;
}
