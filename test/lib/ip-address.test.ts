import { describe, expect, it } from 'vitest';
import { classifyIp, isAddressAllowed } from '../../lib/ip-address.js';

const CASES: [string, ReturnType<typeof classifyIp>][] = [
  // IPv4
  ['8.8.8.8', 'public'],
  ['93.184.216.34', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.5', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['100.128.0.1', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.1.2', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.15.255.255', 'public'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['198.20.0.1', 'public'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  // IPv6
  ['2606:4700:4700::1111', 'public'],
  ['[2001:4860:4860::8888]', 'public'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'], // the WHATWG URL parser's spelling of ::ffff:127.0.0.1
  ['::ffff:10.0.0.5', 'private'],
  ['::FFFF:A9FE:A9FE', 'link-local'], // 169.254.169.254
  ['::ffff:8.8.8.8', 'public'],
  ['::10.0.0.5', 'reserved'], // deprecated IPv4-compatible
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::10.0.0.5', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b:1::1', 'reserved'],
  ['2002:0a00:0005::1', 'private'], // 6to4 around 10.0.0.5
  ['2002:7f00:1::', 'loopback'],
  ['2002:0808:0808::1', 'public'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['2001::1', 'reserved'], // Teredo
  ['2001:10::1', 'reserved'],
  ['100::1', 'reserved'], // discard-only, outside 2000::/3
  ['4000::1', 'reserved'],
  // not addresses
  ['example.com', undefined],
  ['127.0.0.1.nip.io', undefined],
  ['', undefined],
];

describe('classifyIp', () => {
  it.each(CASES)('%s is %s', (ip, kind) => {
    expect(classifyIp(ip)).toBe(kind);
  });
});

describe('isAddressAllowed', () => {
  it('allows public addresses, and loopback only when asked to', () => {
    expect(isAddressAllowed('8.8.8.8', { allowLoopback: false })).toBe(true);
    expect(isAddressAllowed('127.0.0.1', { allowLoopback: false })).toBe(false);
    expect(isAddressAllowed('::1', { allowLoopback: false })).toBe(false);
    expect(isAddressAllowed('127.0.0.1', { allowLoopback: true })).toBe(true);
    expect(isAddressAllowed('::ffff:127.0.0.1', { allowLoopback: true })).toBe(true);
    for (const ip of ['10.0.0.5', '169.254.169.254', 'fd00::1', '::ffff:192.168.0.1', '0.0.0.0', '::']) {
      expect(isAddressAllowed(ip, { allowLoopback: true })).toBe(false);
    }
    expect(isAddressAllowed('not-an-ip', { allowLoopback: true })).toBe(false);
  });
});
