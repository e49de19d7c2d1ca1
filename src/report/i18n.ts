// Report text in Finnish (the default) and English, and number and date formats of each.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_CONFIG_DIR } from '../config/load.ts';

export type Lang = 'fi' | 'en';

const STRINGS = {
  fi: {
    title: 'Mediamittari – viikkokatsaus',
    allMunicipalities: 'kaikki kunnat',
    week: 'Viikko',
    generated: 'Laadittu',
    headline: 'Viikon luvut',
    localArticles: 'Paikallisia juttuja',
    groupStories: 'Juttuja, joissa väestöryhmä mainitaan',
    alertsCount: 'Hälytyksiä',
    coverage: 'Kattavuus',
    coverageLow: 'Vähäinen kattavuus: hiljaista viikkoa ei pidä lukea rauhalliseksi.',
    coverageOk: 'Kattavuus tavanomainen.',
    coverageUnknown: 'Kattavuutta ei voi vielä arvioida: vertailuviikkoja on liian vähän eikä syötteiden hakuja ole kirjattu.',
    feedsUp: (up: number, all: number, polled: number) =>
      all === 0 ? 'kuntaa kattavia syötteitä ei ole määritetty' : polled === 0 ? `syötteiden hakuja ei ole kirjattu tältä viikolta (${all} syötettä)` : `syötteitä toiminnassa ${up}/${all}`,
    articlesVsUsual: (n: number, usual: number | null) =>
      usual === null ? `paikallisia juttuja ${n} (tavanomaista tasoa ei vielä tiedetä)` : `paikallisia juttuja ${n}, tavallisesti ${formatNumber(usual, 'fi', 1)}`,
    fewArticles: 'juttuja selvästi tavallista vähemmän',
    feedsDown: 'osa syötteistä ei toiminut',
    alerts: 'Hälytykset',
    noAlerts: 'Ei hälytyksiä tällä viikolla.',
    alertLine: (group: string, observed: number, expected: number, p: number) =>
      `${group}: ${observed} kielteistä juttua, odotettu ${formatNumber(expected, 'fi', 2)} (p = ${formatP(p, 'fi')})`,
    drivingArticles: 'Hälytyksen taustalla olevat jutut',
    distinctiveTerms: 'Erottuvat sanat',
    noTerms: 'ei erottuvia sanoja',
    groupTable: 'Väestöryhmät tällä viikolla',
    group: 'Ryhmä',
    articles: 'Jutut (n)',
    noGroups: 'Yhtään väestöryhmää ei mainittu tämän viikon paikallisissa jutuissa.',
    charts: 'Kehitys 12 viikon ajalta',
    salienceChart: 'Näkyvyys: osuus paikallisista jutuista, joissa ryhmä mainitaan',
    toneChart: 'Sävytase: (myönteiset − kielteiset) / ryhmän jutut',
    framesChart: 'Tämän viikon kehykset (ryhmäjutut)',
    noData: 'ei juttuja',
    notable: 'Huomionarvoiset jutut',
    mostNegative: 'Kielteisimmät',
    mostPositive: 'Myönteisimmät',
    voice: 'Ryhmän jäsen ääneen',
    none: 'ei yhtään',
    termsPerGroup: 'Erottuvat sanat ryhmittäin (TF-IDF vertailuviikkoihin nähden)',
    method: 'Menetelmä',
    methodText:
      'Laskentayksikkö on juttu ja siinä mainittu ryhmä: syndikoidut kopiot lasketaan kerran. Osuuksien 95 %:n luottamusvälit ovat Wilsonin välejä; sävytaseen väli on multinomiaalisen erotuksen normaaliapproksimaatio (yksi näennäishavainto kuhunkin sävyluokkaan), rajattuna välille −1…1. Hälytys vertaa viikon kielteisiä juttuja kunnan omaan vertailujaksoon Poisson–gamma-mallilla (negatiivinen binomijakauma).',
    definitions: 'Indikaattorit',
    tone: { neg: 'kielteinen', neu: 'neutraali', pos: 'myönteinen' } as Record<string, string>,
    frames: {
      crime_security: 'rikos ja turvallisuus',
      threat_burden: 'uhka tai taakka',
      victim_discrimination: 'uhri ja syrjintä',
      integration_work: 'kotoutuminen ja työ',
      culture_community: 'kulttuuri ja yhteisö',
      policy_admin: 'politiikka ja hallinto',
      other: 'muu',
    } as Record<string, string>,
    noMunicipality: 'Ei kuntia valittuna.',
  },
  en: {
    title: 'Mediamittari – weekly summary',
    allMunicipalities: 'all municipalities',
    week: 'Week',
    generated: 'Generated',
    headline: 'This week in figures',
    localArticles: 'Local articles',
    groupStories: 'Articles mentioning a population group',
    alertsCount: 'Alerts',
    coverage: 'Coverage',
    coverageLow: 'Low coverage: a quiet week must not be read as a calm one.',
    coverageOk: 'Coverage as usual.',
    coverageUnknown: 'Coverage cannot be judged yet: too few earlier weeks and no feed polls recorded.',
    feedsUp: (up: number, all: number, polled: number) =>
      all === 0 ? 'no feeds configured for the municipality' : polled === 0 ? `no feed polls recorded for this week (${all} feeds)` : `feeds up ${up}/${all}`,
    articlesVsUsual: (n: number, usual: number | null) =>
      usual === null ? `${n} local articles (the usual level is not known yet)` : `${n} local articles, usually ${formatNumber(usual, 'en', 1)}`,
    fewArticles: 'far fewer articles than usual',
    feedsDown: 'some feeds were down',
    alerts: 'Alerts',
    noAlerts: 'No alerts this week.',
    alertLine: (group: string, observed: number, expected: number, p: number) =>
      `${group}: ${observed} negative stories, ${formatNumber(expected, 'en', 2)} expected (p = ${formatP(p, 'en')})`,
    drivingArticles: 'Articles behind the alert',
    distinctiveTerms: 'Distinctive terms',
    noTerms: 'no distinctive terms',
    groupTable: 'Population groups this week',
    group: 'Group',
    articles: 'Articles (n)',
    noGroups: 'No population group was mentioned in this week’s local articles.',
    charts: 'The last 12 weeks',
    salienceChart: 'Salience: share of local articles mentioning the group',
    toneChart: 'Tone balance: (positive − negative) / group articles',
    framesChart: 'This week’s frames (group articles)',
    noData: 'no articles',
    notable: 'Notable articles',
    mostNegative: 'Most negative',
    mostPositive: 'Most positive',
    voice: 'A group member speaks',
    none: 'none',
    termsPerGroup: 'Distinctive terms per group (TF-IDF against the baseline weeks)',
    method: 'Method',
    methodText:
      'The unit counted is an article together with a group it mentions; syndicated copies count once. 95% intervals of shares are Wilson intervals; the tone balance interval is a normal approximation to the difference of multinomial proportions (one pseudo-count added to each tone class), clipped to −1…1. An alert compares the week’s negative stories with the municipality’s own baseline weeks under a Poisson–gamma (negative binomial) model.',
    definitions: 'Indicators',
    tone: { neg: 'negative', neu: 'neutral', pos: 'positive' } as Record<string, string>,
    frames: {
      crime_security: 'crime and security',
      threat_burden: 'threat or burden',
      victim_discrimination: 'victims and discrimination',
      integration_work: 'integration and work',
      culture_community: 'culture and community',
      policy_admin: 'policy and administration',
      other: 'other',
    } as Record<string, string>,
    noMunicipality: 'No municipality selected.',
  },
} as const;

export type Strings = (typeof STRINGS)[Lang];

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}

export function formatNumber(x: number, lang: Lang, digits: number): string {
  const s = x.toFixed(digits);
  return lang === 'fi' ? s.replace('.', ',').replace('-', '−') : s.replace('-', '−');
}

/** A whole count with thousands grouped: "12 345" in Finnish, "12,345" in English. */
export function formatCount(n: number, lang: Lang): string {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fi' ? '\u00a0' : ',');
  return n < 0 ? `−${s}` : s;
}

/** A share as a percentage: "25 %" in Finnish, "25%" in English. */
export function formatPercent(x: number, lang: Lang, digits = 0): string {
  return `${formatNumber(100 * x, lang, digits)}${lang === 'fi' ? '\u00a0%' : '%'}`;
}

export function formatSigned(x: number, lang: Lang, digits = 2): string {
  return `${x > 0 ? '+' : ''}${formatNumber(x, lang, digits)}`;
}

export function formatP(p: number, lang: Lang): string {
  if (p < 0.0001) return lang === 'fi' ? '< 0,0001' : '< 0.0001';
  return formatNumber(p, lang, 4);
}

export function formatDate(ymd: readonly [number, number, number], lang: Lang): string {
  const [y, m, d] = ymd;
  if (lang === 'fi') return `${d}.${m}.${y}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d} ${months[m - 1]} ${y}`;
}

/** Helsinki date and time of an instant. */
// Built once: a DateTimeFormat costs far more to make than to use, and pages format hundreds of times.
const HELSINKI_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

export function formatInstant(ts: number, lang: Lang): string {
  const parts = HELSINKI_PARTS.formatToParts(new Date(ts));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const date = formatDate([get('year'), get('month'), get('day')], lang);
  const time = `${get('hour')}.${String(get('minute')).padStart(2, '0')}`;
  return lang === 'fi' ? `${date} klo ${time}` : `${date} ${time.replace('.', ':')}`;
}

export interface GroupLabels {
  label(group: string, lang: Lang): string;
}

/** Group names from the groups lexicon (label: {fi, en}); the id when a group is not listed. */
export function loadGroupLabels(configDir?: string): GroupLabels {
  const own = configDir ? join(configDir, 'lexicons', 'groups.yaml') : null;
  const path = own && existsSync(own) ? own : join(DEFAULT_CONFIG_DIR, 'lexicons', 'groups.yaml');
  const labels = new Map<string, { fi?: string; en?: string }>();
  try {
    const doc = parse(readFileSync(path, 'utf8')) as { groups?: { id?: unknown; label?: { fi?: unknown; en?: unknown } }[] };
    for (const g of doc.groups ?? []) {
      if (typeof g.id !== 'string') continue;
      labels.set(g.id, {
        fi: typeof g.label?.fi === 'string' ? g.label.fi : undefined,
        en: typeof g.label?.en === 'string' ? g.label.en : undefined,
      });
    }
  } catch {
    // The analysis validates the lexicon; here a missing one only costs the pretty names.
  }
  return { label: (group, lang) => labels.get(group)?.[lang] ?? group.replace(/_/g, ' ') };
}

/** Clauses joined into one sentence: capitalised, separated by semicolons, with a full stop. */
export function sentence(clauses: readonly string[]): string {
  const s = clauses.join('; ');
  return s ? `${s[0]!.toUpperCase()}${s.slice(1)}.` : '';
}

/** A definition in words: "numerator / denominator" for ratios, the numerator alone for counts and flags. */
export function definitionText(unit: string, def: { numerator: string; denominator: string }): string {
  return unit === 'count' || unit === 'flag' ? def.numerator : `${def.numerator} / ${def.denominator}`;
}
