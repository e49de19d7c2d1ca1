// npm run bench:analyse [-- --articles N] [--no-voikko | --voikko-only]
// Articles per second of the whole analysis (language, locality, groups, tone, frame, voice)
// on one core, over ~3 KB Finnish news articles composed from varied sentences. "cold" clears
// the morphology and word caches before every article (every word goes to Voikko); "warm"
// reads the second half of the articles after the first half has filled the caches, as a
// long-running pipeline does (new words still arrive and miss).
import { analyseText, loadLexicons, openMorphology, type Morphology } from '../src/analyse/index.ts';
import { clearWordMemos } from '../src/analyse/doc.ts';
import os from 'node:os';

const SENTENCES = [
  'Tampereen kaupunginvaltuusto käsitteli maanantaina kotoutumisohjelmaa, joka ohjaa maahanmuuttajien palveluja seuraavat neljä vuotta.',
  'Hervannassa järjestettiin lauantaina monikulttuurinen kevätjuhla, johon osallistui satoja asukkaita eri puolilta kaupunkia.',
  'Poliisi tutkii Oulun keskustassa tapahtunutta pahoinpitelyä, jonka uhri oli ulkomaalaistaustainen nuori mies.',
  '– Haluamme, että jokainen tuntee olevansa tervetullut, sanoo yhdistyksen puheenjohtaja Leila Haddad.',
  'Forssan seudulla asuu nykyään noin kaksituhatta vieraskielistä asukasta, mikä on selvästi enemmän kuin kymmenen vuotta sitten.',
  'Huittisissa aloitti syksyllä kotoutumiskoulutus, jossa opiskellaan suomen kieltä ja työelämän taitoja.',
  'Lieksan vastaanottokeskus suljetaan vuodenvaihteessa, ja sen asukkaat siirretään muihin keskuksiin.',
  'Nurmijärvellä Klaukkalan koululla on kokeiltu romanikulttuurin opetusta osana kulttuurikasvatusta.',
  'Torniossa rajan yli kulkee päivittäin satoja työntekijöitä, joista osa on virolaisia ja osa ruotsalaisia.',
  'Kaupungin mukaan työllisyyspalveluihin on palkattu kaksi uutta ohjaajaa, jotka puhuvat arabiaa ja somalia.',
  'Saamelaiskäräjät vaatii, että saamen kielen opetus turvataan myös kotiseutualueen ulkopuolella.',
  'Kirjastossa järjestetään joka tiistai keskusteluryhmä, jossa harjoitellaan suomen kieltä rennossa ilmapiirissä.',
  'Valtuustoaloitteessa esitetään, että kaupunki tarjoaisi ruotsinkielistä varhaiskasvatusta myös Hervannan alueella.',
  'Somalitaustainen yrittäjä Ahmed Ali avasi kahvilan Tuiran kaupunginosaan viime kuussa.',
  '– Asiakkaita on riittänyt alusta asti, ja naapurit ovat ottaneet meidät hyvin vastaan, Ali kertoo.',
  'Järjestyshäiriöitä ei ole ollut, vaikka sosiaalisessa mediassa levisi perättömiä huhuja.',
  'Rasismia kokeneet nuoret kertoivat kokemuksistaan koulun teemapäivänä, jonka järjestivät oppilaskunta ja nuorisotyö.',
  'Ukrainalaisia pakolaisia on saapunut kuntaan tänä vuonna noin sata, ja monet lapset ovat jo aloittaneet koulun.',
  'Seurakunnan diakoniatyö kerää talvivaatteita vastaanottokeskuksen lapsille ja aikuisille.',
  'Kunnanhallitus päätti esittää valtuustolle, että kunta ottaa vastaan kolmekymmentä kiintiöpakolaista ensi vuonna.',
  'Jalkapalloseura on saanut uusia pelaajia maahanmuuttajaperheistä, ja joukkueessa puhutaan nyt kuutta kieltä.',
  'Lapin ammattikorkeakoulu kehittää koulutusta, joka valmentaa maahanmuuttajia hoitoalan tehtäviin.',
  'Työ- ja elinkeinotoimiston mukaan ulkomaalaisten työllisyysaste on noussut viime vuosina tasaisesti.',
  'Muslimiyhteisö on hakenut kaupungilta lupaa rukoushuoneen rakentamiseen teollisuusalueelle.',
  'Päätöksestä valitettiin hallinto-oikeuteen, joka palautti asian kaupungin uudelleen käsiteltäväksi.',
  'Kyselyn mukaan suurin osa kuntalaisista suhtautuu myönteisesti naapureihin, joiden tausta on ulkomailla.',
  'Vihapuheesta tehtiin viime vuonna poliisille enemmän rikosilmoituksia kuin koskaan aiemmin.',
  'Juutalainen seurakunta vietti hanukkaa sytyttämällä kynttilät kaupungintalon edustalla.',
  'Venäjänkieliset perheet toivovat, että kirjastoon hankittaisiin enemmän lastenkirjoja heidän omalla kielellään.',
  'Kaupunginjohtajan mukaan kotoutumisen onnistuminen edellyttää, että asuntoja on tarjolla eri puolilla kaupunkia.',
  'Oulunsalossa asuva perhe kertoi saaneensa uhkaavia viestejä sen jälkeen, kun heidän kuvansa julkaistiin lehdessä.',
  'Koulun rehtori korosti, että kiusaamiseen puututaan aina, olipa kiusatun tausta mikä tahansa.',
  'Lauttakylän torilla myytiin lauantaina karjalanpiirakoita ja kotimaisia marjoja.',
  'Turvapaikanhakijoiden määrä on vähentynyt selvästi, kertoo Maahanmuuttovirasto tiedotteessaan.',
  'Romaninuoret esiintyivät kulttuuritalon konsertissa, jonka yleisö palkitsi pitkillä aplodeilla.',
  'Kaupunginhallitus hyväksyi suunnitelman, jonka mukaan kotoutumispalvelut kootaan samaan toimipisteeseen.',
  'Hankkeessa on mukana myös Rajamäen ja Röykän kyläyhdistykset, jotka järjestävät yhteisiä talkoita.',
  'Pispalan asukasyhdistys kutsui kaikki uudet asukkaat tutustumisiltaan, jossa tarjoiltiin eri maiden ruokia.',
  'Eduskunnassa on käyty kiivasta keskustelua maahanmuuttopolitiikan suunnasta.',
  'Tilastokeskuksen mukaan vieraskielisten osuus väestöstä on kasvanut kaikissa suurissa kaupungeissa.',
  'Yrittäjäjärjestö muistuttaa, että monella alalla on pulaa osaavasta työvoimasta.',
  'Sairaalan tulkkipalveluja on lisätty, koska potilaiden kielitausta on yhä monipuolisempi.',
  'Nuorisotalolla pelattiin sählyä ja keskusteltiin siitä, miten ennakkoluuloja voisi vähentää.',
  'Koillis-Lapin poroisäntä kertoi, että saamelaiset poronhoitajat ovat huolissaan kaivoshankkeista.',
  'Torniolaisen ravintolan keittiössä työskentelee kokkeja viidestä eri maasta.',
  'Yli-Iin kirjastossa avattiin näyttely, joka kertoo alueen historiasta ja sen asukkaista.',
  'Valtuutettu kysyi, paljonko kaupunki käyttää rahaa tulkkaukseen ja käännöspalveluihin.',
  'Sosiaalijohtajan mukaan kustannukset ovat pysyneet budjetissa, eikä lisämäärärahaa tarvita.',
  'Kiimingissä järjestettiin ystävänpäivän kävely, johon osallistui myös ukrainalaisia perheitä.',
  'Opettajat toivovat lisää resursseja suomi toisena kielenä -opetukseen.',
  'Perheen isä kertoi tulleensa Suomeen kymmenen vuotta sitten ja työskentelevänsä nyt linja-autonkuljettajana.',
  'Viranomaiset varoittavat huijaussoitoista, joissa soittaja esiintyy pankin virkailijana.',
  'Kaakkurin päiväkodissa lapset askartelivat lyhtyjä valojuhlaa varten.',
  'Hattuvaaran kylässä kunnostettiin vanha tsasouna talkoovoimin.',
  'Ruotsinkielinen koulu juhli satavuotista taivaltaan koko päivän kestäneellä juhlalla.',
  'Mielenosoitukseen osallistui noin sata ihmistä, ja tilaisuus sujui rauhallisesti poliisin mukaan.',
  'Sataman laajennus tuo alueelle arviolta kolmesataa uutta työpaikkaa seuraavan viiden vuoden aikana.',
  'Kaupunki myönsi avustusta järjestöille, jotka tekevät kotoutumista tukevaa vapaaehtoistyötä.',
  'Tutkimuksen mukaan syrjintä työnhaussa on yhä yleistä, ja nimi voi ratkaista haastatteluun pääsyn.',
  'Kotkan kaupunki tiedotti, että uimahalli on suljettuna remontin vuoksi koko kesäkuun.',
];

// Compound nouns in case forms give the vocabulary a long tail of rarer words, as real news has.
const MODIFIERS = ['koulu', 'kirjasto', 'liikenne', 'sairaala', 'metsä', 'vesi', 'katu', 'urheilu', 'kulttuuri', 'asunto', 'ranta', 'kylä', 'satama', 'tori', 'pyörä', 'kesä', 'talvi', 'nuoriso', 'vanhus', 'perhe', 'ympäristö', 'energia', 'rakennus', 'tie', 'silta', 'puisto', 'musiikki', 'teatteri', 'kauppa', 'työ', 'maa', 'lumi', 'jää', 'kala', 'marja', 'juna', 'bussi', 'lento', 'posti', 'pankki'];
const HEADS = ['hankkeessa', 'suunnitelmassa', 'lautakunnan', 'kyselyssä', 'investoinnista', 'raportin', 'päätöksellä', 'alueelle', 'keskuksessa', 'palvelua', 'tapahtumaan', 'kokouksessa', 'työmaalla', 'budjetista', 'selvityksen', 'verkostossa', 'hallinnon', 'kilpailuun', 'yhdistyksen', 'ryhmässä', 'toimistolla', 'remontin', 'kampanjassa', 'sopimuksen', 'ohjelmaan', 'aloitteesta', 'kartoituksen', 'kehityksessä', 'talossa', 'reitillä'];

const NAMES = ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Saarinen', 'Salminen', 'Abdi', 'Nguyen', 'Petrov', 'Hassan', 'Kovalenko', 'Aalto', 'Rantanen', 'Karjalainen'];

// A small deterministic generator so every run measures the same articles.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function composeArticles(n: number, seed = 42): { title: string; text: string }[] {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: { title: string; text: string }[] = [];
  for (let a = 0; a < n; a++) {
    const paragraphs: string[] = [];
    let size = 0;
    while (size < 3000) {
      const para: string[] = [];
      const k = 2 + Math.floor(rand() * 3);
      for (let i = 0; i < k; i++) {
        let s = pick(SENTENCES);
        // Vary names and numbers so that the vocabulary keeps growing like real news.
        if (rand() < 0.3) s = `${pick(NAMES)} ${s[0]!.toLowerCase()}${s.slice(1)}`.replace(/^(\S+) /, (_, name: string) => `${name}in mukaan `);
        if (rand() < 0.2) s = s.replace(/\b(\d+|sata|kaksi|kolmekymmentä)\b/, String(1 + Math.floor(rand() * 5000)));
        if (rand() < 0.5) s = `${s} Asiasta puhuttiin myös ${pick(MODIFIERS)}${pick(HEADS)} ja ${pick(MODIFIERS)}${pick(HEADS)}.`;
        para.push(s);
      }
      const p = para.join(' ');
      paragraphs.push(p);
      size += p.length + 2;
    }
    out.push({ title: pick(SENTENCES).split(',')[0]!.slice(0, 90), text: paragraphs.join('\n\n') });
  }
  return out;
}

function run(articles: { title: string; text: string }[], morphology: Morphology, cold: boolean): { seconds: number; chars: number } {
  const lexicons = LEXICONS;
  let chars = 0;
  const t0 = performance.now();
  for (const a of articles) {
    if (cold) {
      morphology.clearCache();
      clearWordMemos();
    }
    const r = analyseText({ title: a.title, text: a.text, feedMunicipalities: ['837'] }, lexicons, morphology);
    chars += a.text.length;
    if (r.version.length === 0) throw new Error('no version');
  }
  return { seconds: (performance.now() - t0) / 1000, chars };
}

const PASSES = 3;

function best(measure: () => { seconds: number; chars: number }): { seconds: number; chars: number } {
  let top = measure();
  for (let i = 1; i < PASSES; i++) {
    const r = measure();
    if (r.seconds < top.seconds) top = r;
  }
  return top;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
}

const LEXICONS = loadLexicons();
const count = argValue('--articles', 1000);
const kinds: ('voikko' | 'snowball')[] = process.argv.includes('--no-voikko') ? ['snowball'] : process.argv.includes('--voikko-only') ? ['voikko'] : ['voikko', 'snowball'];
const articles = composeArticles(count);
const avg = articles.reduce((s, a) => s + a.text.length, 0) / articles.length;
console.log(`bench:analyse — ${articles.length} Finnish articles, mean ${Math.round(avg)} chars, one core (Node ${process.version})`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (other processes share the cores; each figure is the best of ${PASSES} passes)`);
console.log('morphology  cache   articles/s   ms/article   MB/s');
for (const kind of kinds) {
  const { morphology, notice } = openMorphology({ prefer: kind });
  if (notice && kind === 'voikko') console.log(`  (${notice})`);
  if (morphology.kind !== kind) continue;
  // Compile the lexicons once and warm the JIT on a few articles outside the timing.
  run(articles.slice(0, 20), morphology, false);
  const coldSample = articles.slice(0, Math.min(articles.length, 200));
  const cold = best(() => run(coldSample, morphology, true));
  // Warm: the cache has seen earlier news (the first half), then the measured run reads on.
  morphology.clearCache();
  clearWordMemos();
  const half = Math.floor(articles.length / 2);
  run(articles.slice(0, half), morphology, false);
  const warmSample = articles.slice(half);
  const warm = best(() => run(warmSample, morphology, false));
  for (const [label, r, n] of [['cold', cold, coldSample.length], ['warm', warm, warmSample.length]] as const) {
    console.log(`${kind.padEnd(11)} ${label.padEnd(6)} ${(n / r.seconds).toFixed(0).padStart(10)}   ${((r.seconds * 1000) / n).toFixed(2).padStart(10)}   ${(r.chars / r.seconds / 1e6).toFixed(2).padStart(5)}`);
  }
  const stats = morphology.cacheStats();
  console.log(`${' '.repeat(12)}cache ${stats.size} words, hit rate ${((stats.hits / Math.max(1, stats.hits + stats.misses)) * 100).toFixed(1)}%`);
  morphology.close();
}
