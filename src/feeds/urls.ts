// URL normalisation: one article reached through several feeds or with campaign tags must
// map to one key. We keep everything that can change what the server returns and drop
// what only tracks the reader.
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'igshid', 'mc_cid', 'mc_eid',
  'ref_src', 'ref_url', '_hsenc', '_hsmi', 'mkt_tok', 'spm', 'cmpid', 'origin', 'at_medium', 'at_campaign',
]);

function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || n.startsWith('at_') || TRACKING_PARAMS.has(n);
}

/** Absolute, canonical form of a link; null when it is not a usable http(s) URL. */
export function normaliseUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  for (const name of [...url.searchParams.keys()]) if (isTrackingParam(name)) url.searchParams.delete(name);
  if ([...url.searchParams.keys()].length === 0) url.search = '';
  return url.href;
}

/** Like normaliseUrl, but keeps non-http(s) schemes so they can be refused by name. */
export function resolveLink(raw: string, base?: string): string | null {
  try {
    const url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
    if (url.protocol === 'http:' || url.protocol === 'https:') return normaliseUrl(url.href);
    return url.href;
  } catch {
    return null;
  }
}
