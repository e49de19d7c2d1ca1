/**
 * Class/id and text patterns that separate article text from page furniture.
 * Class and id values are matched per hyphen/underscore-separated part, so that "ad" hits
 * "ad-slot" but not "header" or "lead", and "jaa" (Finnish: share) hits "jaa-napit" but not
 * "kirjaa".
 */

function partRegex(exact: string[], prefixes: string[]): RegExp {
  const alt = [...exact.map((w) => `${w}(?=$|[\\s_-])`), ...prefixes.map((w) => `${w}[a-z0-9]*`)];
  return new RegExp(`(?:^|[\\s_-])(?:${alt.join('|')})`);
}

/** Page furniture: removed with its subtree unless the same class/id also says "content". */
export const FURNITURE = partRegex(
  [
    'ad', 'ads', 'adv', 'advert', 'ad-slot', 'adslot', 'dfp', 'gpt', 'banner', 'banners', 'sponsor', 'sponsored',
    'comment', 'comments', 'commentlist', 'commentform', 'kommentit', 'kommentti', 'kommentarer',
    'share', 'sharing', 'jaa', 'jako', 'dela', 'delning', 'addthis', 'sharethis',
    'social', 'some', 'follow', 'tags', 'tagit', 'keywords', 'avainsanat', 'aiheet', 'topics',
    'related', 'recommended', 'recommendations', 'suositellut', 'lue-myos', 'luemyos', 'las-ocksa',
    'menu', 'nav', 'navbar', 'navigation', 'breadcrumb', 'breadcrumbs', 'murupolku', 'pagination', 'pager',
    'footer', 'masthead', 'sidebar', 'rail', 'right-rail', 'skyscraper', 'popup', 'modal', 'overlay', 'toolbar',
    'newsletter', 'uutiskirje', 'nyhetsbrev', 'subscribe', 'subscription', 'signup', 'sign-up', 'tilaa', 'prenumerera',
    'cookie', 'cookies', 'consent', 'gdpr', 'promo', 'promotion', 'teaser-list', 'mainos', 'annons', 'reklam',
    'print', 'login', 'author-bio', 'byline', 'disclaimer', 'trending', 'most-popular', 'popular', 'mostread',
    'luetuimmat', 'uusimmat', 'more-stories', 'also-read', 'see-also', 'outbrain', 'taboola',
    'disqus', 'rss', 'shoutbox', 'community', 'agegate', 'skip-link', 'skiplink', 'legends',
    // Shown on hover only: a card of links inside a sentence.
    'tooltip', 'popover', 'hovercard', 'rollover',
  ],
  [
    'advertis', 'adsense', 'adunit', 'ad-container', 'ad-wrapper', 'adcontainer', 'adwrapper', 'sharebar', 'sharetool',
    'share-', 'social-', 'socialmedia', 'related-', 'relatedarticle', 'relatedcontent', 'relatedstor', 'relatedpost',
    'newsletter', 'promo-', 'sidebar', 'cookie', 'comment-', 'comments-', 'breadcrumb', 'recommend',
  ],
);

/** Class/id words that mark the article itself; they protect an element from FURNITURE. */
export const CONTENT_HINT = /article|body|content|entry|main|story|post-text|text-body|teksti|artikkeli|leipateksti|column|mathjax/;

/**
 * Whole class names of hiding helpers, used for screen-reader-only labels ("Advertisement",
 * "Share on ..."). Whole names only: "field-label-hidden" hides a label, not its field.
 */
export const HIDDEN_CLASS =
  /(?:^|\s)(?:hidden|hide|visually-hidden|visuallyhidden|sr-only|screen-reader-text|screenreader-only|offscreen|u-hidden|is-hidden|d-none|display-none|invisible|element-invisible|a11y-hidden)(?=$|\s)/;

/** Class weights, after readability: evidence for (+25) or against (-25) a container. */
export const POSITIVE_CLASS =
  /article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|teksti|artikkeli|ingress|lead/;
export const NEGATIVE_CLASS =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|caption|credit|byline|author|mainos|kommentit|jaa-/;

/** Elements that carry a standfirst / ingress. */
export const LEAD_CLASS = partRegex(
  ['lead', 'ingress', 'ingressi', 'standfirst', 'intro', 'summary', 'dek', 'deck', 'excerpt', 'subtitle', 'subheadline', 'description'],
  ['article-lead', 'article__lead', 'lead-', 'ingress', 'standfirst'],
);

/** Lines inside the body that are furniture whatever their markup. */
const FURNITURE_LINES: RegExp[] = [
  /^(advertisement|advertising|sponsored( content)?|mainos|ilmoitus|kaupallinen yhteistyö|annons|reklam|anzeige|publicité|publicidad)\s*:?$/i,
  // Photo and graphics credits: "Kuva: Name / Lehtikuva", "Photo: AP", "Bild: ..."
  /^(kuva|kuvat|kuvaaja|kuvitus|grafiikka|video|photo|photos|image|images|picture|illustration|foto|bild|bilder|grafik)\s*[:|]/i,
  // Share and follow prompts.
  /^(jaa|jaa artikkeli|jaa juttu|share|share this|share on|share article|share story|dela|dela artikeln)\b.{0,40}$/i,
  /^(follow us|seuraa meitä|följ oss)\b/i,
  // Reading suggestions and cross-links.
  /^(lue myös|lue lisää|katso myös|kuuntele myös|read more|read also|related|see also|more on this|läs också|läs mer|se även)\s*[:|>»]/i,
  /^(lue myös|lue lisää|katso myös|read more|related stories|related articles|läs också|läs mer)$/i,
  // Subscription and newsletter promos.
  /^(tilaa|subscribe|sign up|prenumerera|saat ylen parhaat)\b.{0,200}$/i,
  /\b(uutiskirje\p{L}*|newsletters?|nyhetsbrev\p{L}*)\b/iu,
  // Teaser headers and date lines: "DON'T MISS", "Published: 10:48, Tue, Nov 19, 2019".
  /^(don'?t miss|recommended|most read|trending( now)?|luetuimmat|suosituimmat|missa inte|mest läst)\s*:?$/i,
  /^(published|updated|last updated|posted|julkaistu|päivitetty|publicerad|uppdaterad)\b.{0,100}$/i,
  // A caption ending in its picture credit: "Protesters in Hong Kong (Image: GETTY)".
  /\((image|images|photo|photos|picture|kuva|kuvat|bild|foto)\s*:[^)]{0,80}\)\s*$/i,
  /^(vain tilaajille|tilaajille|lue koko juttu|subscribers only|for subscribers|endast för prenumeranter)\b/i,
  // Copyright and image-rights lines.
  /^(©|\(c\)|copyright)\s/i,
];

const BYLINE_LINE = /^(by|text|teksti|av|written by|toimittaja|reporter)\s*:?\s+\p{Lu}[\p{L}'’.-]+(\s+\p{Lu}[\p{L}'’.-]+){0,3}\s*$/u;
/** "By Justine Coleman - 11/18/19 11:04 PM EST": a byline carrying a date or time. */
const DATED_BYLINE = /^(by|teksti|text|av)\s+\p{Lu}.{0,60}\d{1,2}[:./]\d{1,2}/iu;
/** "Sari Heikkilä 6.10.2026 klo 8.20": a name and a Finnish/Swedish date, nothing else. */
const NAME_AND_DATE = /^(\p{Lu}[\p{L}'’-]+\s+){1,3}\p{Lu}[\p{L}'’-]+,?\s+\d{1,2}\.\s?\d{1,2}\.\s?\d{4}(\s+(klo|kl\.?)\s+\d{1,2}[.:]\d{2})?$/u;

export function isFurnitureLine(text: string): boolean {
  if (text.length >= 200) return false;
  for (const re of FURNITURE_LINES) if (re.test(text)) return true;
  return BYLINE_LINE.test(text) || (text.length < 100 && (DATED_BYLINE.test(text) || NAME_AND_DATE.test(text)));
}

/** Paywall markers in class/id values. */
export const PAYWALL_CLASS = partRegex(
  ['paywall', 'paywalled', 'premium-content', 'subscriber-only', 'subscribers-only', 'subscriber-content',
    'content-locked', 'locked-content', 'regwall', 'piano-paywall', 'plus-content', 'tilaajille', 'maksumuuri'],
  ['paywall', 'subscriber-only', 'subscribers-only', 'premium-content', 'premium-article', 'article-premium',
    'is-premium', 'maksumuuri'],
);

/** Paywall prompts as readers see them (Finnish, Swedish, English). */
export const PAYWALL_TEXT =
  /^(vain tilaajille|tilaajille|tilaajan etu|lue koko juttu|tilaa ja lue|tilaa nyt|tämä artikkeli on tilaajille|jatka lukemista|kirjaudu sisään ja lue|endast för prenumeranter|för prenumeranter|läs hela artikeln|subscribe to (continue|read)|this (article|story|content) is (only )?(available )?(for|to) subscribers|subscribers only|already a subscriber)/i;
