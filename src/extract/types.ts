export type Language = 'fi' | 'sv' | 'en';

/** What the feed item said about the article; used where the page says less. */
export interface FeedItemHints {
  title?: string;
  description?: string;
  published?: string;
  author?: string;
}

export interface ExtractOptions {
  /** Reference time for rejecting impossible dates; defaults to the current time. */
  now?: Date;
  feedItem?: FeedItemHints;
}

export interface ExtractedArticle {
  /** The page URL given. */
  url: string;
  /** <link rel=canonical> or og:url, absolute, http(s) only. */
  canonicalUrl: string | null;
  title: string | null;
  /** Standfirst / ingress. */
  lead: string | null;
  /** Main text, one entry per paragraph; headings inside the body are their own entries. */
  paragraphs: string[];
  /** paragraphs joined with a blank line. */
  text: string;
  /** ISO 8601 with offset. */
  published: string | null;
  modified: string | null;
  /** Author names joined with ', '. */
  author: string | null;
  section: string | null;
  siteName: string | null;
  language: Language | null;
  paywalled: boolean;
  /** The page gave less text than the feed item's description, so the description is the text. */
  usedFeedFallback: boolean;
  wordCount: number;
}
