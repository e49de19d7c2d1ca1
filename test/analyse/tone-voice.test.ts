import { expect, it } from 'vitest';
import { describeVoikko, tag } from './helpers.ts';

describeVoikko('tone around group mentions', () => {
  it('is negative for hostility and discrimination, whoever the victim is', () => {
    const a = tag('Maahanmuuttajat kertovat kokeneensa syrjintää ja rasismia työnhaussa.');
    expect(a.tone.label).toBe('neg');
    expect(a.tone.evidence.map((e) => e.lemma)).toEqual(expect.arrayContaining(['syrjintä', 'rasismi']));
  });

  it('is positive for cooperation and welcome', () => {
    expect(tag('Yhteistyö maahanmuuttajien kanssa on sujunut erinomaisesti, ja heidät toivotettiin tervetulleiksi.').tone.label).toBe('pos');
  });

  it('is neutral for facts', () => {
    expect(tag('Kunnassa asuu kolmesataa maahanmuuttajaa.').tone.label).toBe('neu');
  });

  it('turns a negated positive word negative', () => {
    const a = tag('Välit muslimien kanssa eivät ole hyvät.');
    expect(a.tone.label).toBe('neg');
    expect(a.tone.evidence[0]!.rule).toMatch(/negated/);
  });

  it('keeps a negated tension word negative (rebutting a prejudice shows the tension)', () => {
    const a = tag('Turvapaikanhakijat eivät ole syyllistyneet mihinkään rikokseen.');
    expect(a.tone.label).toBe('neg');
  });

  it('negates the base of a -ton/-tön word', () => {
    const a = tag('Pakolaisten vastaanotto on ollut ongelmatonta.');
    const e = a.tone.evidence.find((x) => x.rule.endsWith('-ton'));
    expect(e?.lemma).toBe('ongelmaton');
    expect(e!.weight).toBeGreaterThan(0);
  });

  it('judges tone per mention: one article can hold a festival and an incident', () => {
    const a = tag('Romanit juhlivat kansallispäivää iloisesti torilla, ja juhla sujui hienosti.\n\nToisaalla poliisi tutkii saamelaisiin kohdistunutta vihapuhetta ja uhkailua.');
    const roma = a.mentions.find((m) => m.group === 'roma')!;
    const sami = a.mentions.find((m) => m.group === 'sami')!;
    expect(roma.tone.label).toBe('pos');
    expect(sami.tone.label).toBe('neg');
  });

  it('scales with intensifiers', () => {
    const plain = tag('Maahanmuuttajien tilanne on huono.').tone.score;
    const strong = tag('Maahanmuuttajien tilanne on erittäin huono.').tone.score;
    expect(strong).toBeLessThan(plain);
  });
});

describeVoikko('frames', () => {
  it.each([
    ['Poliisi epäilee turvapaikanhakijoita ryöstöstä.', 'crime_security'],
    ['Maahanmuuttajien työllisyys ja kielikoulutus paranivat.', 'integration_work'],
    ['Juutalainen seurakunta vietti sapattia synagogassa.', 'culture_community'],
    ['Hallitus muutti pakolaiskiintiötä ja ulkomaalaislakia.', 'policy_admin'],
    ['Romaneihin kohdistuva syrjintä ja vihapuhe ovat lisääntyneet.', 'victim_discrimination'],
    ['Hallitsematon maahanmuutto on taakka veronmaksajille.', 'threat_burden'],
  ])('%s → %s', (text, frame) => {
    expect(tag(text).frame).toBe(frame);
  });

  it('has no frame without a group', () => {
    expect(tag('Kaupungin uimahalli suljetaan.').frame).toBeNull();
  });
});

describeVoikko('voice: who speaks', () => {
  const speaks = (text: string): string[] => tag(text).voice.filter((v) => v.speaks).map((v) => v.group);

  it('a group member attributed with a dash quote and a speech verb', () => {
    expect(speaks('– Olemme kiitollisia avusta, sanoo romaninainen Maria Lindqvist.')).toEqual(['roma']);
  });

  it('a group as the subject of a speech verb', () => {
    expect(speaks('Maahanmuuttajat kertovat kokeneensa syrjintää työnhaussa.')).toEqual(['immigrants']);
  });

  it('a person described as a group member, quoted later by name', () => {
    const text = 'Somalitaustainen Ahmed Ali avasi kahvilan Tuiraan.\n\n– Asiakkaita on riittänyt alusta asti, Ali kertoo.';
    const v = tag(text).voice.find((x) => x.group === 'somalis')!;
    expect(v.speaks).toBe(true);
    expect(v.evidence.map((e) => e.rule)).toEqual(['speech-verb:kertoa', 'speaker:described-person']);
    expect(text.slice(v.evidence[1]!.start, v.evidence[1]!.end)).toBe('Ali');
  });

  it('an attribution with "mukaan"', () => {
    expect(speaks('Pakolaisten mukaan vastaanotto on ollut ystävällistä.')).toEqual(['refugees']);
  });

  it('quotation marks with a speech verb', () => {
    expect(speaks('”Tämä on kotimme”, sanoivat ukrainalaiset pakolaiset Lieksassa.')).toEqual(expect.arrayContaining(['refugees']));
  });

  it('a group only talked about does not speak', () => {
    expect(speaks('– Maahanmuuttajat ovat tervetulleita, sanoo kaupunginjohtaja Virtanen.')).toEqual([]);
    expect(speaks('Poliisin mukaan maahanmuuttajiin kohdistuneet rikokset lisääntyivät.')).toEqual([]);
    expect(speaks('Maahanmuutosta keskusteltiin, kertoo puheenjohtaja.')).toEqual([]);
  });

  it('lists every tagged group with speaks true or false', () => {
    const a = tag('Pakolaiset kertovat arjestaan, ja muslimeista puhutaan paljon.');
    expect(a.voice).toEqual([
      { group: 'muslims', speaks: false, evidence: [] },
      expect.objectContaining({ group: 'refugees', speaks: true }),
    ]);
  });
});

it('article tone without any group is neutral and has no evidence', () => {
  const a = tag('Säästä tuli kaunis ja aurinkoinen.');
  expect(a.tone).toEqual({ label: 'neu', score: 0, evidence: [] });
});
