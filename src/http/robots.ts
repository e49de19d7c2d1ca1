import robotsParserModule from 'robots-parser';

// robots-parser is CommonJS (module.exports is the function) while its typings declare a
// default export; depending on the loader's interop either shape arrives here.
type ParseRobots = typeof robotsParserModule.default;
const robotsParser: ParseRobots =
  typeof robotsParserModule === 'function' ? (robotsParserModule as unknown as ParseRobots) : robotsParserModule.default;

/** What was fetched for one origin's robots.txt. status 0 means no HTTP answer at all. */
export interface RobotsEntry {
  body: string | null;
  status: number;
  fetchedAt: number;
}

/** Per-origin robots.txt store; async so that a shared (Redis) store can implement it. */
export interface RobotsCache {
  get(origin: string): Promise<RobotsEntry | undefined>;
  set(origin: string, entry: RobotsEntry, ttlMs: number): Promise<void>;
}

export class MemoryRobotsCache implements RobotsCache {
  private readonly entries = new Map<string, { entry: RobotsEntry; expiresAt: number }>();

  async get(origin: string): Promise<RobotsEntry | undefined> {
    const hit = this.entries.get(origin);
    if (!hit) return undefined;
    if (Date.now() >= hit.expiresAt) {
      this.entries.delete(origin);
      return undefined;
    }
    return hit.entry;
  }

  async set(origin: string, entry: RobotsEntry, ttlMs: number): Promise<void> {
    this.entries.delete(origin);
    this.entries.set(origin, { entry, expiresAt: Date.now() + ttlMs });
  }
}

// RFC 9309 asks crawlers to parse at least 500 KiB; beyond that a file is not a policy.
const MAX_ROBOTS_CHARS = 512 * 1024;

/** The rules of one robots.txt as they apply to one product token. */
export interface RobotsPolicy {
  isAllowed(url: string): boolean;
  /** Crawl-delay for our token (or '*') in milliseconds, if the file sets one. */
  crawlDelayMs: number | undefined;
}

const ALLOW_ALL: RobotsPolicy = { isAllowed: () => true, crawlDelayMs: undefined };
const DISALLOW_ALL: RobotsPolicy = { isAllowed: () => false, crawlDelayMs: undefined };

/**
 * RFC 9309: a 2xx file is parsed; 4xx means there is no policy (allow all); a 5xx or no
 * answer means the policy is unknown, and the crawler must assume complete disallow. 429 is
 * a request to slow down, not a missing file, so it counts with the unreachable ones.
 */
export function robotsPolicy(robotsUrl: string, entry: RobotsEntry, productToken: string): RobotsPolicy {
  if (entry.status >= 200 && entry.status < 300) {
    const robot = robotsParser(robotsUrl, (entry.body ?? '').slice(0, MAX_ROBOTS_CHARS));
    const delay = robot.getCrawlDelay(productToken);
    return {
      // undefined from the parser means the URL is on another origin: not this file's business
      isAllowed: (url) => robot.isAllowed(url, productToken) ?? true,
      crawlDelayMs: typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? delay * 1000 : undefined,
    };
  }
  if (entry.status >= 400 && entry.status < 500 && entry.status !== 429) return ALLOW_ALL;
  return DISALLOW_ALL;
}

/** The product token robots.txt groups are matched against: 'Mediamittari/0.1 (...)' → 'Mediamittari'. */
export function productTokenOf(userAgent: string): string {
  const m = /^[A-Za-z0-9_-]+/.exec(userAgent.trim());
  return m ? m[0] : '*';
}
