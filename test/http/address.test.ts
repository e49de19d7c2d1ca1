import { describe, expect, it } from 'vitest';
import { isBlockedAddress } from '../../src/http/index.ts';

const BLOCKED: Array<[string, string]> = [
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'this network'],
  ['10.0.0.1', 'private 10/8'],
  ['10.255.255.255', 'private 10/8 top'],
  ['100.64.0.1', 'CGNAT low'],
  ['100.127.255.254', 'CGNAT high'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback /8'],
  ['169.254.169.254', 'link-local (cloud metadata)'],
  ['172.16.0.1', 'private 172.16/12 low'],
  ['172.31.255.255', 'private 172.16/12 high'],
  ['192.0.0.8', 'IETF assignments'],
  ['192.0.2.10', 'TEST-NET-1'],
  ['192.168.1.1', 'private 192.168/16'],
  ['198.18.0.1', 'benchmarking'],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.251', 'multicast'],
  ['239.255.255.250', 'multicast SSDP'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'IPv6 unspecified'],
  ['::1', 'IPv6 loopback'],
  ['[::1]', 'IPv6 loopback in URL brackets'],
  ['0:0:0:0:0:0:0:1', 'IPv6 loopback, long form'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
  ['::ffff:10.1.2.3', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
  ['::127.0.0.1', 'IPv4-compatible (deprecated)'],
  ['64:ff9b::7f00:1', 'NAT64 of loopback'],
  ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['100::1', 'discard-only'],
  ['2001:db8::1', 'documentation'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2002:7f00:1::1', '6to4 of loopback'],
  ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
  ['fc00::1', 'unique local fc00::/7'],
  ['fd12:3456:789a::1', 'unique local fd'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local with zone'],
  ['febf::1', 'link-local top of fe80::/10'],
  ['fec0::1', 'site-local (deprecated)'],
  ['ff02::1', 'multicast all nodes'],
  ['ff05::1:3', 'multicast site'],
  ['localhost', 'not an IP: fail closed'],
  ['example.org', 'not an IP: fail closed'],
  ['0177.0.0.1', 'octal form is not a valid address: fail closed'],
  ['', 'empty: fail closed'],
];

const PUBLIC: Array<[string, string]> = [
  ['1.1.1.1', 'public DNS'],
  ['8.8.8.8', 'public DNS'],
  ['9.255.255.255', 'just below 10/8'],
  ['11.0.0.1', 'just above 10/8'],
  ['100.63.255.255', 'just below CGNAT'],
  ['100.128.0.0', 'just above CGNAT'],
  ['126.255.255.255', 'just below loopback'],
  ['128.0.0.1', 'just above loopback'],
  ['169.253.255.255', 'just below link-local'],
  ['172.15.255.255', 'just below 172.16/12'],
  ['172.32.0.0', 'just above 172.16/12'],
  ['192.167.255.255', 'just below 192.168/16'],
  ['192.169.0.0', 'just above 192.168/16'],
  ['193.166.3.2', 'Finnish public (Funet)'],
  ['223.255.255.255', 'just below multicast'],
  ['2a00:1450:4010:c0e::64', 'public IPv6'],
  ['2606:4700:4700::1111', 'public IPv6 DNS'],
  ['::ffff:193.166.3.2', 'IPv4-mapped public'],
  ['64:ff9b::808:808', 'NAT64 of 8.8.8.8'],
  ['2002:808:808::1', '6to4 of 8.8.8.8'],
  ['fbff::1', 'just below fc00::/7'],
  ['fe7f::1', 'just below fe80::/10'],
];

describe('isBlockedAddress', () => {
  it.each(BLOCKED)('refuses %s (%s)', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });
  it.each(PUBLIC)('allows %s (%s)', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});
