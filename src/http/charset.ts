// Finnish local papers still serve ISO-8859-1 / windows-1252 pages and feeds, often declared
// only inside the document, so the declared charset has to be found before 'ä' and 'ö' can be
// read. Everything here is pure: bytes and header in, label out.

const LATIN1_LABELS = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso88591',
  'iso_8859-1',
  'iso_8859-1:1987',
  'latin1',
  'l1',
  'cp819',
  'ibm819',
  'csisolatin1',
  'iso-ir-100',
]);

/**
 * The canonical name of a charset label, or undefined when TextDecoder does not know it.
 * ISO-8859-1 labels keep their own name (it is what the publisher declared) although they
 * decode as windows-1252, as browsers do; everything else gets the WHATWG name.
 */
export function normaliseCharset(label: string): string | undefined {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (l === '') return undefined;
  if (LATIN1_LABELS.has(l)) return 'iso-8859-1';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return undefined;
  }
}

/** The TextDecoder encoding used to read a normalised charset. */
export function decoderEncoding(charset: string): string {
  return charset === 'iso-8859-1' ? 'windows-1252' : charset;
}

export function charsetFromBom(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** The mime type of a Content-Type header, lower-cased and without parameters. */
export function mimeTypeOf(contentType: string | undefined): string {
  if (!contentType) return '';
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function charsetParamOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m?.[2];
}

const PRESCAN_BYTES = 2048;

function head(body: Uint8Array): string {
  // latin1 maps bytes 1:1 to code points, so ASCII markup is read whatever the real charset
  return Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, PRESCAN_BYTES)).toString('latin1');
}

/** `<meta charset>` or `<meta http-equiv="Content-Type" content="...; charset=...">`. */
export function charsetFromHtmlMeta(body: Uint8Array): string | undefined {
  const text = head(body).replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const tag of text.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(tag);
    if (!direct) continue;
    const httpEquiv = /\bhttp-equiv\s*=/i.test(tag);
    if (httpEquiv && !/\bhttp-equiv\s*=\s*["']?\s*content-type/i.test(tag)) continue;
    const label = normaliseCharset(direct[1]!);
    if (!label) continue;
    // A page whose meta can be read as ASCII is not UTF-16, whatever it says (HTML spec).
    if (label.startsWith('utf-16')) return 'utf-8';
    if (label === 'x-user-defined') return 'windows-1252';
    return label;
  }
  return undefined;
}

/** The encoding of an `<?xml ... encoding="..."?>` declaration at the start of the body. */
export function charsetFromXmlDeclaration(body: Uint8Array): string | undefined {
  const m = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head(body));
  if (!m) return undefined;
  const label = normaliseCharset(m[1]!);
  return label?.startsWith('utf-16') ? 'utf-8' : label;
}

function looksLikeXml(mime: string, body: Uint8Array): boolean {
  return mime.endsWith('+xml') || mime.endsWith('/xml') || /^\s*<\?xml\b/i.test(head(body).slice(0, 64));
}

function looksLikeHtml(mime: string, body: Uint8Array): boolean {
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return true;
  if (mime !== '' && mime !== 'text/plain' && mime !== 'application/octet-stream') return false;
  return /^\s*(?:<!doctype\s+html|<html\b|<head\b|<meta\b)/i.test(head(body).slice(0, 256));
}

/**
 * The charset to read a body with, in order: byte order mark, Content-Type charset parameter,
 * the document's own declaration (`<?xml encoding>` for XML, `<meta>` in the first 2 KB for
 * HTML), else utf-8.
 */
export function detectCharset(body: Uint8Array, contentType: string | undefined): string {
  const bom = charsetFromBom(body);
  if (bom) return bom;
  const param = charsetParamOf(contentType);
  const declared = param === undefined ? undefined : normaliseCharset(param);
  if (declared) return declared;
  const mime = mimeTypeOf(contentType);
  if (looksLikeXml(mime, body)) {
    const xml = charsetFromXmlDeclaration(body);
    if (xml) return xml;
  }
  if (looksLikeHtml(mime, body)) {
    const meta = charsetFromHtmlMeta(body);
    if (meta) return meta;
  }
  return 'utf-8';
}

// windows-1252 differs from ISO-8859-1 only in 0x80–0x9F, where publishers' curly quotes,
// dashes and the euro sign live. Node 20's TextDecoder('windows-1252') decodes these bytes as
// C1 controls (it takes the Latin-1 path), so the table is applied here.
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((cp) => String.fromCharCode(cp));

function decodeWindows1252(body: Uint8Array): string {
  const latin = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  return latin.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Body bytes as text in the given (normalised) charset; a BOM is dropped. */
export function decodeBody(body: Uint8Array, charset: string): string {
  const encoding = decoderEncoding(charset);
  if (encoding === 'windows-1252') return decodeWindows1252(body);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}
