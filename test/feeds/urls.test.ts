import { describe, expect, it } from 'vitest';
import { normaliseUrl, resolveLink } from '../../src/feeds/urls.ts';

describe('normaliseUrl', () => {
  it('strips tracking parameters and fragments, keeps the rest', () => {
    expect(normaliseUrl('https://Example.ORG/a/b?utm_source=rss&utm_medium=feed&id=5&fbclid=x#top')).toBe('https://example.org/a/b?id=5');
    expect(normaliseUrl('https://yle.fi/a/74-2000?origin=rss')).toBe('https://yle.fi/a/74-2000');
    expect(normaliseUrl('http://example.org:80/x?gclid=1')).toBe('http://example.org/x');
  });
  it('resolves relative links against the feed and refuses other schemes', () => {
    expect(normaliseUrl('/uutiset/1', 'https://lehti.fi/feed/rss')).toBe('https://lehti.fi/uutiset/1');
    expect(normaliseUrl('file:///etc/passwd')).toBeNull();
    expect(normaliseUrl('not a url')).toBeNull();
    expect(resolveLink('file:///etc/passwd')).toBe('file:///etc/passwd');
    expect(resolveLink('https://a.fi/x?utm_campaign=z')).toBe('https://a.fi/x');
  });
});
