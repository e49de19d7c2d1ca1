import { describe, expect, it } from 'vitest';
import { describeVoikko, groupsOf, snowball, tag, voikko } from './helpers.ts';

// Every false friend named in issue 3, as it appears in running text.
const FALSE_FRIENDS: [string, string][] = [
  ['Romania the country', 'Keräys auttaa lapsia Romanian kylissä, ja tuonti Romaniasta kasvoi. Romania liittyi unioniin.'],
  ['Romanian language and identity', 'Kirkkokieli muuttui romaniaksi, ja romanialaisuus vahvistui.'],
  ['the Russian state and army', 'Venäjän armeija eteni, ja venäläiset joukot valtasivat kaupungin.'],
  ['the surname Venäläinen', 'Maalin teki Sami Venäläinen toisessa erässä.'],
  ['the surname Venäläinen after a verb', 'Ottelun ratkaisi Venäläinen.'],
  ['veropakolainen', 'Tunnettu veropakolainen muutti Monacoon, ja veropakolaisten määrä kasvoi.'],
  ['tietoturvapaikkaus', 'Tietoturvapaikkaus asennettiin kaikkiin koneisiin.'],
  ['saamme / saamiset', 'Saamme lisää rahaa, kun saamiset maksetaan.'],
  ['romaani', 'Hän kirjoitti romaanin, ja romaaneja myytiin hyvin.'],
  ['ulkomaalaisvahvistus', 'Joukkueen ulkomaalaisvahvistus teki kaksi maalia.'],
  ['Somalia the country without people', 'Somaliassa on kuivuus, ja Somalian hallitus pyysi apua.'],
  ['Swedish-language service without people', 'Ruotsinkielinen päivähoito keskittyy keskustaan, ja ruotsinkielisen koulun tilat ovat ahtaat.'],
  ['Sami language only', 'Täällä voisi puhua saamea, ja saamen kieli on uhanalainen.'],
  ['foreign journalists and casinos', 'Ulkomaalaiset toimittajat kysyivät, ja ulkomaalaisilla kasinoilla pelataan dollareilla.'],
  ['Russian things', 'Museossa on venäläistä taidetta ja venäläinen satelliitti.'],
  ['nationals in their own state', 'Venäläiset äänestivät vaaleissa Venäjällä.'],
  ['Russian roulette and Karelian pasties', 'Se on venäläistä rulettia, ja tarjolla oli karjalanpiirakoita.'],
];

// Each inflection and compound class of the group words.
const POSITIVES: [string, string, string][] = [
  ['maahanmuuttajille', 'Kurssi on tarkoitettu maahanmuuttajille.', 'immigrants'],
  ['maahanmuuttajien (genitive plural)', 'Maahanmuuttajien työllisyys parani.', 'immigrants'],
  ['maahanmuuttajanuorille (compound)', 'Kerho on avoinna maahanmuuttajanuorille.', 'immigrants'],
  ['maahanmuutto (R1)', 'Eduskunta keskusteli maahanmuutosta.', 'immigrants'],
  ['ulkomaalaistaustainen', 'Koulun oppilaista osa on ulkomaalaistaustaisia.', 'immigrants'],
  ['turvapaikanhakijakeskuksessa', 'Turvapaikanhakijakeskuksessa asuu sata ihmistä.', 'asylum_seekers'],
  ['turvapaikanhakijoita (partitive)', 'Turvapaikanhakijoita saapui viikonloppuna.', 'asylum_seekers'],
  ['turvapaikan saaneet → refugees', 'Ministeriö sijoittaa turvapaikan saaneet eri puolille maata.', 'refugees'],
  ['kiintiöpakolaisten', 'Kunta päätti kiintiöpakolaisten vastaanotosta.', 'refugees'],
  ['pakolaisille', 'Seurakunta keräsi vaatteita pakolaisille.', 'refugees'],
  ['romaninaisten', 'Romaninaisten yhdistys kokoontui.', 'roma'],
  ['romaneja', 'Natsit vainosivat romaneja.', 'roma'],
  ['saamelaisten', 'Saamelaisten kotiseutualueella on omat säännöt.', 'sami'],
  ['saamenkieliset people', 'Saamenkieliset lapset saavat opetusta omalla kielellään.', 'sami'],
  ['ruotsinkieliset lapset', 'Alueella asuu eniten ruotsinkielisiä lapsia.', 'swedish_speakers'],
  ['ruotsinkieliset as a noun', 'Ruotsinkieliset äänestivät ehdokkaitaan.', 'swedish_speakers'],
  ['suomenruotsalaiset', 'Suomenruotsalaiset ovat kansanryhmä.', 'swedish_speakers'],
  ['venäjänkieliset perheet', 'Venäjänkieliset perheet toivovat kirjoja.', 'russian_speakers'],
  ['venäläiset living in Finland', 'Torniossa asuvat venäläiset kokoontuivat torille.', 'russian_speakers'],
  ['somalitaustainen', 'Somalitaustainen yrittäjä avasi kahvilan.', 'somalis'],
  ['muslimeja', 'Kaupungissa asuu paljon muslimeja.', 'muslims'],
  ['islaminuskoisten', 'Islaminuskoisten määrä kasvoi.', 'muslims'],
  ['juutalaisille', 'Sapatti on juutalaisille tärkeä.', 'jews'],
  ['juutalaislasten (compound)', 'Juutalaislasten koulu aloitti.', 'jews'],
  ['ukrainalaiset refugees', 'Ukrainalaiset pakolaiset saapuivat Suomeen keväällä.', 'ukrainians'],
  ['virolaiset workers in Finland', 'Suomessa työskentelevät virolaiset rakentajat ovat tyytyväisiä.', 'estonians'],
  ['minority people', 'Kurdit ja uiguurit järjestivät mielenosoituksen.', 'other_ethnic'],
  ['nationality with migration', 'Iranilaisia turvapaikanhakijoita majoitettiin keskukseen.', 'other_ethnic'],
];

describeVoikko('groups with Voikko', () => {
  for (const [name, text] of FALSE_FRIENDS) {
    it(`false friend: ${name}`, () => {
      expect(groupsOf(text)).toEqual([]);
    });
  }
  for (const [name, text, group] of POSITIVES) {
    it(`finds ${group} in ${name}`, () => {
      expect(groupsOf(text)).toContain(group);
    });
  }

  it('keeps offsets, the matched lemma and the rule of each mention', () => {
    const text = 'Romaninaisten kerho ja turvapaikanhakijakeskuksessa asuvat perheet.';
    const a = tag(text);
    const roma = a.mentions.find((m) => m.group === 'roma')!;
    expect(text.slice(roma.start, roma.end)).toBe('Romaninaisten');
    expect(roma.lemma).toBe('romani');
    expect(roma.rule).toBe('compound:romani');
    const asylum = a.mentions.find((m) => m.group === 'asylum_seekers')!;
    expect(text.slice(asylum.start, asylum.end)).toBe('turvapaikanhakijakeskuksessa');
    expect(asylum.rule).toMatch(/^compound:turvapaikanhakija/);
  });

  it('explains an adjectival mention by the people noun it describes', () => {
    const m = tag('Ruotsinkieliset lapset leikkivät.').mentions[0]!;
    expect(m.rule).toBe('lemma:ruotsinkielinen(head:people)');
  });

  it('counts "laiton maahanmuutto" as asylum seekers too', () => {
    expect(groupsOf('Komissio haluaa estää laittoman maahanmuuton.')).toEqual(['asylum_seekers', 'immigrants']);
  });

  it('reads Swedish and English text with their own terms', () => {
    expect(tag('Flyktingarna i staden fick hjälp av kommunen och många invandrare.').groups).toEqual(['immigrants', 'refugees']);
    expect(tag('Refugees and asylum seekers arrived in the city on Monday.').groups).toEqual(['asylum_seekers', 'refugees']);
  });
});

describe('groups with the Snowball fallback', () => {
  it('still finds inflected group words by prefix', () => {
    expect(groupsOf('Kurssi on tarkoitettu maahanmuuttajille ja kiintiöpakolaisille.', snowball)).toEqual(['immigrants', 'refugees']);
    expect(groupsOf('Romaneja ja saamelaisia vainottiin.', snowball)).toEqual(['roma', 'sami']);
  });

  it('still vetoes the false friends it can see on the surface', () => {
    expect(groupsOf('Tuonti Romaniasta kasvoi, ja veropakolainen muutti pois.', snowball)).toEqual([]);
    expect(groupsOf('Joukkueen ulkomaalaisvahvistus teki maalin.', snowball)).toEqual([]);
    expect(groupsOf('Ruotsinkielistä päivähoitoa keskitetään.', snowball)).toEqual([]);
  });
});

describeVoikko('group mentions of bad input', () => {
  it('finds nothing in text without Finnish', () => {
    expect(tag('Привет, как дела? مرحبا بكم').groups).toEqual([]);
    expect(voikko().kind).toBe('voikko');
  });
});
