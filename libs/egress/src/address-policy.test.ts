import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, egressPolicy, parseAllowedNetworks, PUBLIC_ONLY, refusalOf, type AddressKind } from './address-policy';
import { checkEgressRequest } from './egress-request';
import { EgressError } from './egress-error';
import { checkEgressUrl } from './egress-url';

const octet = fc.integer({ min: 0, max: 255 });
/** An IPv4 address in `base/bits` as four octets. */
const inRange = (base: [number, number, number, number], bits: number) =>
  fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => {
    const start = ((base[0] << 24) >>> 0) + (base[1] << 16) + (base[2] << 8) + base[3];
    const value = (start + offset) >>> 0;
    return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255] as const;
  });

const NON_PUBLIC_V4: Array<[string, [number, number, number, number], number, AddressKind]> = [
  ['loopback', [127, 0, 0, 0], 8, 'loopback'],
  ['RFC 1918 10/8', [10, 0, 0, 0], 8, 'private'],
  ['RFC 1918 172.16/12', [172, 16, 0, 0], 12, 'private'],
  ['RFC 1918 192.168/16', [192, 168, 0, 0], 16, 'private'],
  ['link-local (cloud metadata)', [169, 254, 0, 0], 16, 'link-local'],
  ['CGNAT', [100, 64, 0, 0], 10, 'carrier-grade-nat'],
  ['this network', [0, 0, 0, 0], 8, 'unspecified'],
  ['multicast', [224, 0, 0, 0], 4, 'multicast'],
];

/** Textual forms of one IPv4 address that the WHATWG URL parser turns back into it. */
function urlForms([a, b, c, d]: readonly number[]): string[] {
  const value = ((a! << 24) >>> 0) + (b! << 16) + (c! << 8) + d!;
  return [
    `${a}.${b}.${c}.${d}`,
    String(value),
    `0x${value.toString(16)}`,
    `0${value.toString(8)}`,
    `0x${a!.toString(16)}.0x${b!.toString(16)}.0x${c!.toString(16)}.0x${d!.toString(16)}`,
    `0${a!.toString(8)}.0${b!.toString(8)}.0${c!.toString(8)}.0${d!.toString(8)}`,
    `${a}.${(b! << 16) + (c! << 8) + d!}`,
    `${a}.${b}.${(c! << 8) + d!}`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${((a! << 8) + b!).toString(16)}:${((c! << 8) + d!).toString(16)}]`,
  ];
}

function refusedRange(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof EgressError && error.kind === 'refused') return error.refusal?.range;
    throw error;
  }
}

describe('egress address policy', () => {
  for (const [name, base, bits, kind] of NON_PUBLIC_V4) {
    it(`refuses every ${name} address in any textual form a URL accepts`, () => {
      fc.assert(
        fc.property(inRange(base, bits), (address) => {
          for (const form of urlForms(address)) {
            const url = `http://${form}:8080/hook`;
            expect(refusedRange(() => checkEgressRequest({ url, method: 'POST', policy: PUBLIC_ONLY })), url).toBe(kind);
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  it('classifies IPv6 non-public ranges, IPv4-mapped forms as their IPv4 address', () => {
    const cases: Array<[string, AddressKind]> = [
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['fc00::1', 'unique-local'],
      ['fdff:ffff::1', 'unique-local'],
      ['fec0::1', 'site-local'],
      ['ff02::1', 'multicast'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['::7f00:1', 'ipv4-translated'],
      ['64:ff9b::a9fe:a9fe', 'ipv4-translated'],
      ['2002:7f00:1::', 'ipv4-translated'],
      ['2001:db8::1', 'reserved'],
      ['2606:4700::1111', 'public'],
      ['::ffff:8.8.8.8', 'public'],
      ['8.8.8.8', 'public'],
      ['192.0.2.1', 'reserved'],
      ['255.255.255.255', 'broadcast'],
      ['not-an-address', 'invalid'],
      ['127.1', 'invalid'],
    ];
    for (const [address, kind] of cases) expect(classifyAddress(address), address).toBe(kind);
  });

  it('refuses every ULA and link-local IPv6 address', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 7, maxLength: 7 }), fc.integer({ min: 0xfc00, max: 0xfdff }), fc.integer({ min: 0xfe80, max: 0xfebf }), (rest, ula, linkLocal) => {
        const tail = rest.map((g) => g.toString(16)).join(':');
        expect(refusalOf(`${ula.toString(16)}:${tail}`, PUBLIC_ONLY)).toBe('unique-local');
        expect(refusalOf(`${linkLocal.toString(16)}:${tail}`, PUBLIC_ONLY)).toBe('link-local');
        expect(refusedRange(() => checkEgressRequest({ url: `https://[${ula.toString(16)}:${tail}]/`, method: 'GET', policy: PUBLIC_ONLY }))).toBe('unique-local');
      }),
    );
  });

  it('lets through exactly the networks EGRESS_ALLOWED_NETWORKS names', () => {
    const policy = egressPolicy('127.0.0.1/32, 10.1.0.0/16,fd00::/8');
    fc.assert(
      fc.property(octet, octet, (c, d) => {
        expect(refusalOf(`10.1.${c}.${d}`, policy)).toBeUndefined();
        expect(refusalOf(`::ffff:10.1.${c}.${d}`, policy)).toBeUndefined();
        expect(refusalOf(`10.2.${c}.${d}`, policy)).toBe('private');
      }),
    );
    expect(refusalOf('127.0.0.1', policy)).toBeUndefined();
    expect(refusalOf('127.0.0.2', policy)).toBe('loopback');
    expect(refusalOf('fd12::1', policy)).toBeUndefined();
    expect(refusalOf('169.254.169.254', policy)).toBe('link-local');
    expect(parseAllowedNetworks('127.0.0.1')).toEqual([expect.objectContaining({ cidr: '127.0.0.1/32' })]);
    expect(parseAllowedNetworks(' ')).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'localhost', '127.1/32', 'fd00::/129', '10.0.0.0/8/8']) {
      expect(() => parseAllowedNetworks(bad), bad).toThrow(/is not a network in CIDR notation/);
    }
  });
});

describe('egress URL check', () => {
  it('accepts http(s) URLs without credentials and refuses every other scheme', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(checkEgressUrl(url).protocol).toMatch(/^https?:$/);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom('ftp', 'file', 'gopher', 'javascript', 'data', 'ws', 'mailto'), fc.domain(), (scheme, host) => {
        expect(() => checkEgressUrl(`${scheme}://${host}/x`)).toThrow(/scheme must be http or https|not an absolute URL/);
      }),
    );
  });

  it('refuses credentials, relative URLs and overlong URLs, naming the problem', () => {
    expect(() => checkEgressUrl('https://user:pw@example.com/')).toThrow(/credentials/);
    expect(() => checkEgressUrl('https://user@example.com/')).toThrow(/credentials/);
    expect(() => checkEgressUrl('/relative')).toThrow(/not an absolute URL/);
    expect(() => checkEgressUrl('')).toThrow(/empty/);
    expect(() => checkEgressUrl(`https://example.com/${'a'.repeat(2048)}`)).toThrow(/longer than 2048/);
  });

  it('never throws anything but an EgressError for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('GET', 'POST', 'TRACE', 'get'), (text, method) => {
        try {
          checkEgressRequest({ url: text, method: method as 'GET', policy: PUBLIC_ONLY });
        } catch (error) {
          expect(error).toBeInstanceOf(EgressError);
        }
      }),
    );
  });

  it('refuses headers the transport owns and header values with line breaks', () => {
    const check = (headers: Record<string, string>) => () => checkEgressRequest({ url: 'https://example.com/', method: 'POST', headers, policy: PUBLIC_ONLY });
    expect(check({ Host: 'internal' })).toThrow(/"Host" is set by the transport/);
    expect(check({ 'Transfer-Encoding': 'chunked' })).toThrow(/set by the transport/);
    expect(check({ 'x-a': 'one\r\nx-b: two' })).toThrow(/not a valid header/);
    expect(check({ 'bad name': 'x' })).toThrow(/not a valid header/);
    expect(check({ authorization: 'Bearer t', 'content-type': 'application/json' })).not.toThrow();
  });
});
