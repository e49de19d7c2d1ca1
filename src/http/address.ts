import { isIPv4, isIPv6 } from 'node:net';

// Article and feed URLs come from outside (feed items, redirects), so any of them may point
// at the machine itself or its network. These ranges are never a news site.
const BLOCKED_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata endpoints live here
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // retired 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast
];

const BLOCKED_V4_RANGES = BLOCKED_V4.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { net: (parseV4(base)! & mask) >>> 0, mask };
});

function parseV4(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  let n = 0;
  for (const part of ip.split('.')) n = n * 256 + Number(part);
  return n >>> 0;
}

function v4Blocked(n: number): boolean {
  return BLOCKED_V4_RANGES.some((r) => ((n & r.mask) >>> 0) === r.net);
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseV6(ip: string): number[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // a trailing dotted quad (::ffff:1.2.3.4) is the last two groups
    const v4 = parseV4(last);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const toGroups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const halves = text.split('::');
  let groups: number[];
  if (halves.length === 2) {
    const head = toGroups(halves[0]!);
    const rest = toGroups(halves[1]!);
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = toGroups(text);
  }
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function embeddedV4(hi: number, lo: number): number {
  return ((hi << 16) | lo) >>> 0;
}

function v6Blocked(g: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d (IPv4-mapped): the socket reaches the IPv4 address
  if (firstFiveZero && g5 === 0xffff) return v4Blocked(embeddedV4(g6, g7));
  // ::/96 covers :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible form;
  // none of them is a public web server
  if (firstFiveZero && g5 === 0) return true;
  // 64:ff9b::/96 well-known NAT64 prefix: judged by the IPv4 address it translates to
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4Blocked(embeddedV4(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true; // local-use NAT64
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x2001 && g1 === 0) return true; // Teredo: tunnels to an obfuscated IPv4 address
  if (g0 === 0x2002) return v4Blocked(embeddedV4(g1, g2)); // 6to4 carries the IPv4 address
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return true; // deprecated site-local fec0::/10
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/**
 * True when a connection to this address must be refused: loopback, private, link-local,
 * unique-local, CGNAT, multicast, unspecified, documentation and reserved ranges, for IPv4
 * and IPv6 (IPv4-mapped, NAT64 and 6to4 forms are judged by the IPv4 address inside).
 * Text that is not an IP address is refused too: fail closed.
 */
export function isBlockedAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const v4 = parseV4(text);
  if (v4 !== undefined) return v4Blocked(v4);
  const v6 = parseV6(text);
  if (v6 !== undefined) return v6Blocked(v6);
  return true;
}

/** The IP literal in a URL hostname ('[::1]' → '::1'), or undefined for a DNS name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const text = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIPv4(text) || isIPv6(text) ? text : undefined;
}
