import { describe, expect, it } from 'vitest';
import { decodeBody, detectCharset, normaliseCharset } from '../../src/http/index.ts';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('normaliseCharset', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['ISO-8859-1', 'iso-8859-1'],
    ['latin1', 'iso-8859-1'],
    ['"iso-8859-1"', 'iso-8859-1'],
    ['us-ascii', 'windows-1252'],
    ['cp1252', 'windows-1252'],
    ['Windows-1252', 'windows-1252'],
    ['iso-8859-15', 'iso-8859-15'],
    ['koi8-r', 'koi8-r'],
  ])('%s → %s', (label, expected) => {
    expect(normaliseCharset(label)).toBe(expected);
  });
  it('does not know made-up labels', () => {
    expect(normaliseCharset('utf-9000')).toBeUndefined();
    expect(normaliseCharset('')).toBeUndefined();
  });
});

describe('detectCharset', () => {
  const page = (meta: string): Buffer => latin1(`<!doctype html><html><head>${meta}<title>P\xe4\xe4uutinen</title></head><body>H\xe4m\xf6</body></html>`);

  it('takes the Content-Type charset first', () => {
    expect(detectCharset(page('<meta charset="utf-8">'), 'text/html; charset=windows-1252')).toBe('windows-1252');
  });
  it('finds <meta charset> in HTML', () => {
    expect(detectCharset(page('<meta charset="iso-8859-1">'), 'text/html')).toBe('iso-8859-1');
  });
  it('finds <meta http-equiv="Content-Type"> in HTML', () => {
    const body = page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">');
    expect(detectCharset(body, 'text/html')).toBe('windows-1252');
  });
  it('ignores a meta inside a comment and other http-equiv metas', () => {
    const body = page('<!-- <meta charset="koi8-r"> --><meta http-equiv="refresh" content="0; charset=koi8-r"><meta charset="windows-1252">');
    expect(detectCharset(body, 'text/html')).toBe('windows-1252');
  });
  it('looks no further than the first 2 KB for a meta', () => {
    const body = latin1(`<html><head>${' '.repeat(2100)}<meta charset="windows-1252"></head></html>`);
    expect(detectCharset(body, 'text/html')).toBe('utf-8');
  });
  it('reads a meta declaring UTF-16 as UTF-8 (the meta itself was readable as ASCII)', () => {
    expect(detectCharset(page('<meta charset="utf-16">'), 'text/html')).toBe('utf-8');
  });
  it('uses the XML declaration for feeds', () => {
    const feed = latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>\xc4\xe4ni</title></channel></rss>');
    expect(detectCharset(feed, 'application/rss+xml')).toBe('iso-8859-1');
    expect(detectCharset(feed, '')).toBe('iso-8859-1');
  });
  it('does not read a meta charset out of an XML feed', () => {
    const feed = latin1('<?xml version="1.0"?><rss><channel><description>&lt;meta charset="koi8-r"&gt; <meta charset="koi8-r"/></description></channel></rss>');
    expect(detectCharset(feed, 'application/rss+xml')).toBe('utf-8');
  });
  it('lets a byte order mark win over everything', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), page('<meta charset="windows-1252">')]);
    expect(detectCharset(bom, 'text/html; charset=windows-1252')).toBe('utf-8');
    expect(detectCharset(Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'text/plain')).toBe('utf-16le');
  });
  it('falls back to utf-8, also past unknown labels', () => {
    expect(detectCharset(Buffer.from('plain'), 'text/plain')).toBe('utf-8');
    expect(detectCharset(page('<meta charset="bogus-9">'), 'text/html; charset=bogus-8')).toBe('utf-8');
  });
});

describe('decodeBody', () => {
  it('reads iso-8859-1 as windows-1252, as browsers do', () => {
    // 0x80 is a C1 control in ISO-8859-1 but the euro sign in windows-1252; publishers mean the latter
    expect(decodeBody(Buffer.from([0x80, 0x20, 0xe4, 0xf6]), 'iso-8859-1')).toBe('€ äö');
  });
  it('reads the windows-1252 punctuation of news text', () => {
    const bytes = Buffer.from([0x93, 0x4b, 0xe4, 0x79, 0x94, 0x20, 0x96, 0x20, 0x8a, 0x9a, 0x85, 0x81]);
    expect(decodeBody(bytes, 'windows-1252')).toBe('\u201cKäy\u201d \u2013 Šš…\u0081');
  });
  it('drops a UTF-8 BOM', () => {
    expect(decodeBody(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa4]), 'utf-8')).toBe('hä');
  });
});
