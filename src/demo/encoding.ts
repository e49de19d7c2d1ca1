// Legacy single-byte encodings for the older sites of the corpus. Node has decoders for
// them but no encoders; the demo must produce the real bytes an old CMS would send.

// windows-1252 differs from ISO-8859-1 only in 0x80–0x9F, where it has printable
// characters (en dash, curly quotes, €, š, ž …) instead of C1 controls.
const CP1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86,
  0x2021: 0x87, 0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c,
  0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95,
  0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

export type LegacyEncoding = 'windows-1252' | 'iso-8859-1';

/**
 * Encodes markup (HTML or XML) into a single-byte charset. Characters the charset lacks
 * become numeric character references, which is what such systems emit and which both
 * HTML and XML parsers resolve; the input must therefore be markup, not raw text.
 */
export function encodeMarkup(markup: string, encoding: LegacyEncoding): Buffer {
  const bytes: number[] = [];
  for (const ch of markup) {
    const cp = ch.codePointAt(0) ?? 0;
    let byte: number | undefined;
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) byte = cp;
    else if (encoding === 'windows-1252') byte = CP1252_HIGH[cp];
    if (byte !== undefined) {
      bytes.push(byte);
    } else {
      for (const b of Buffer.from(`&#${cp};`, 'ascii')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}
