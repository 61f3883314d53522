/**
 * Says whether an IP address is on the public internet. Outbound requests to addresses a customer chooses
 * (CRM webhooks) must never reach our own network, the cloud metadata service or a neighbour on a private
 * range, whatever notation the address is written in (IPv4-mapped, NAT64 and 6to4 forms are unwrapped).
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressKind =
  'public' | 'loopback' | 'private' | 'link-local' | 'shared' | 'unspecified' | 'multicast' | 'documentation' | 'reserved';

type V4Range = readonly [base: string, prefix: number, kind: AddressKind];

// Everything IANA lists as not globally reachable (plus the deprecated 6to4 relay anycast).
const V4_RANGES: readonly V4Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255
];

const v4ToInt = (s: string) => s.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const V4_TABLE = V4_RANGES.map(([base, prefix, kind]) => ({ base: v4ToInt(base), size: 2 ** (32 - prefix), kind }));

const classifyV4Int = (n: number): AddressKind => V4_TABLE.find((r) => n >= r.base && n < r.base + r.size)?.kind ?? 'public';

/** Eight 16-bit groups; callers have checked the text with isIPv6. */
const v6Groups = (s: string): number[] => {
  let head = s;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    tail.push(Math.floor(n / 65536), n % 65536);
    head = s.slice(0, -dotted[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left, right] = head.split('::') as [string, string | undefined];
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  const zeros = right === undefined ? [] : Array<string>(8 - l.length - r.length - tail.length).fill('0');
  return [...l, ...zeros, ...r].map((g) => parseInt(g, 16)).concat(tail);
};

const embeddedV4 = (hi: number, lo: number) => hi * 65536 + lo;

const classifyV6 = (g: number[]): AddressKind => {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0xffff) return classifyV4Int(embeddedV4(g6, g7)); // ::ffff:a.b.c.d
    if (g5 === 0 && g6 === 0) return g7 === 0 ? 'unspecified' : g7 === 1 ? 'loopback' : 'reserved';
    return 'reserved'; // deprecated IPv4-compatible ::a.b.c.d and the rest of ::/8
  }
  if (g0 === 0x64 && g1 === 0xff9b) return g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 ? classifyV4Int(embeddedV4(g6, g7)) : 'reserved'; // NAT64
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if ((g0 & 0xe000) !== 0x2000) return 'reserved'; // only 2000::/3 is allocated global unicast
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if (g0 === 0x3fff && g1 < 0x1000) return 'documentation';
  if (g0 === 0x2001 && g1 < 0x0200) return 'reserved'; // Teredo, ORCHID, benchmarking (2001::/23)
  if (g0 === 0x2002) return classifyV4Int(embeddedV4(g1, g2)); // 6to4
  return 'public';
};

/** The kind of an IP literal (IPv6 with or without brackets), or undefined when `ip` is not an address. */
export const classifyIp = (ip: string): AddressKind | undefined => {
  const bare = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names no other host
  if (isIPv4(bare)) return classifyV4Int(v4ToInt(bare));
  if (isIPv6(bare)) return classifyV6(v6Groups(bare.toLowerCase()));
  return undefined;
};

/** Public addresses always; loopback only where the caller allows it (outside production). */
export const isAddressAllowed = (ip: string, opts: { allowLoopback: boolean }) => {
  const kind = classifyIp(ip);
  return kind === 'public' || (kind === 'loopback' && opts.allowLoopback);
};
