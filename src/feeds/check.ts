// Checking a feed before it is configured: fetch it with the collector's own HTTP client (so
// its limits, robots.txt and address rules apply), parse it as the poller would, and list
// what an operator should know. Stores nothing. `feeds check` and the dashboard's Test
// button both answer with this.
import type { HttpClient } from '../http/index.ts';
import type { FeedItemInput } from '../store/store.ts';
import { parseFeed } from './parseFeed.ts';

export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1';

export interface FeedCheck {
  /** Where the feed was read from in the end (after redirects). */
  url: string;
  title: string | null;
  items: FeedItemInput[];
  /** Things that do not stop polling but deserve a look: unusable items, an empty feed. */
  problems: string[];
}

/** Parses a feed body that was read already; throws FeedParseError when it is no feed. */
export async function checkFeedText(text: string, url: string): Promise<FeedCheck> {
  const feed = await parseFeed(text, url);
  const problems = feed.skipped.map((s) => `item ${s.index}: ${s.reason}`);
  if (feed.items.length === 0) problems.push('the feed lists no items');
  return { url, title: feed.title, items: feed.items, problems };
}

/** Fetches and parses an http(s) feed; throws the HTTP client's or the parser's error. */
export async function checkFeed(http: HttpClient, url: string): Promise<FeedCheck> {
  const res = await http.fetch({ url, accept: FEED_ACCEPT });
  return checkFeedText(res.text(), res.url);
}
