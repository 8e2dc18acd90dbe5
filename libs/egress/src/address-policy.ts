import ipaddr from 'ipaddr.js';

/**
 * What kind of address an outbound connection would reach. `public` is the only kind allowed
 * without configuration; every other kind names the range that refused it.
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade-nat'
  | 'unique-local'
  | 'site-local'
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'reserved'
  | 'ipv4-translated'
  | 'invalid';

/** The networks an operator allowed outbound calls to, although they are not public (EGRESS_ALLOWED_NETWORKS). */
export interface EgressPolicy {
  readonly allowedNetworks: readonly AllowedNetwork[];
}

export interface AllowedNetwork {
  /** As written in configuration, e.g. `127.0.0.1/32`. */
  readonly cidr: string;
  readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

/** Nothing but public addresses. */
export const PUBLIC_ONLY: EgressPolicy = { allowedNetworks: [] };

const IPV4_KINDS: Record<string, AddressKind> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
};

const IPV6_KINDS: Record<string, AddressKind> = {
  unicast: 'public',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  // Translation and tunnelling prefixes embed an IPv4 address that a gateway may forward to.
  rfc6052: 'ipv4-translated',
  rfc6145: 'ipv4-translated',
  '6to4': 'ipv4-translated',
  teredo: 'ipv4-translated',
};

// Ranges ipaddr.js files under `unicast` that are not public: deprecated IPv4-compatible (::a.b.c.d) and site-local.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const SITE_LOCAL = ipaddr.parseCIDR('fec0::/10');

/** The address as ipaddr.js parses it, with an IPv4-mapped IPv6 address (::ffff:a.b.c.d) turned into its IPv4 address. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Zone ids (fe80::1%eth0) only ever name link-local addresses; classify without them.
  const withoutZone = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  if (!ipaddr.isValid(withoutZone)) return undefined;
  // Only the four-part dotted form is an IPv4 address here: DNS answers and WHATWG URL hosts are always in it.
  if (!withoutZone.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(withoutZone)) return undefined;
  const parsed = ipaddr.parse(withoutZone);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

/** Which kind of address this is (an IPv4-mapped IPv6 address is the kind of its IPv4 address). */
export function classifyAddress(address: string): AddressKind {
  const parsed = parseAddress(address);
  if (!parsed) return 'invalid';
  if (parsed.kind() === 'ipv4') return IPV4_KINDS[parsed.range()] ?? 'reserved';
  const v6 = parsed as ipaddr.IPv6;
  const kind = IPV6_KINDS[v6.range()] ?? 'reserved';
  if (kind === 'public' && v6.match(IPV4_COMPATIBLE)) return 'ipv4-translated';
  if (kind === 'public' && v6.match(SITE_LOCAL)) return 'site-local';
  return kind;
}

/** Why a connection to `address` is refused under `policy`; undefined when it is allowed. */
export function refusalOf(address: string, policy: EgressPolicy): AddressKind | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return 'invalid';
  if (policy.allowedNetworks.some(({ range }) => range[0].kind() === parsed.kind() && parsed.match(range))) return undefined;
  const kind = classifyAddress(address);
  return kind === 'public' ? undefined : kind;
}

/** Thrown for a configuration value that is not a CIDR list. */
export class AllowedNetworksError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllowedNetworksError';
  }
}

/**
 * Parses a comma-separated list of networks in CIDR notation (`127.0.0.1/32,10.0.0.0/8,fd00::/8`);
 * a bare address is one host (/32 or /128). Empty: none.
 */
export function parseAllowedNetworks(text: string): AllowedNetwork[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const cidr = item.includes('/') ? item : `${item}/${item.includes(':') ? 128 : 32}`;
      try {
        const [address] = cidr.split('/');
        if (!address!.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(address!)) throw new Error('not a four-part IPv4 address');
        const range = ipaddr.parseCIDR(cidr);
        return { cidr, range };
      } catch {
        throw new AllowedNetworksError(`"${item}" is not a network in CIDR notation (e.g. 127.0.0.1/32, 10.0.0.0/8, fd00::/8)`);
      }
    });
}

/** The policy of EGRESS_ALLOWED_NETWORKS. */
export function egressPolicy(allowedNetworks: string | readonly AllowedNetwork[]): EgressPolicy {
  return { allowedNetworks: typeof allowedNetworks === 'string' ? parseAllowedNetworks(allowedNetworks) : allowedNetworks };
}
