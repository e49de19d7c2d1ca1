// Shared set-up of the analysis tests. Voikko tests run when libvoikko is installed; when it
// is missing they are skipped with a loud warning, unless MEDIAMITTARI_REQUIRE_VOIKKO=1 (CI),
// in which case they run and fail.
import { describe } from 'vitest';
import { analyseText, loadLexicons, openMorphology, voikkoAvailable, type AnalyseInput, type Analysis, type Morphology } from '../../src/analyse/index.ts';

export const lexicons = loadLexicons();

export type VoikkoGate = 'run' | 'skip';

/** Missing Voikko skips the tests, except when they are required: then they run and fail. */
export function voikkoGate(available: boolean, required: boolean): VoikkoGate {
  return available || required ? 'run' : 'skip';
}

const availability = voikkoAvailable();
const required = process.env.MEDIAMITTARI_REQUIRE_VOIKKO === '1';
const gate = voikkoGate(availability.ok, required);
if (gate === 'skip') {
  console.warn(
    `\n!!! VOIKKO TESTS SKIPPED: ${availability.reason}.\n!!! Install libvoikko1 and voikko-fi; set MEDIAMITTARI_REQUIRE_VOIKKO=1 to make this a failure.\n`,
  );
}

export const describeVoikko = gate === 'run' ? describe : describe.skip;

let voikkoInstance: Morphology | null = null;

/** The Voikko morphology; throws (failing the test) when it is required but missing. */
export function voikko(): Morphology {
  if (!voikkoInstance) {
    const { morphology, notice } = openMorphology({ prefer: 'voikko' });
    if (morphology.kind !== 'voikko') throw new Error(`Voikko is required for this test but not available: ${notice ?? availability.reason}`);
    voikkoInstance = morphology;
  }
  return voikkoInstance;
}

export const snowball: Morphology = openMorphology({ prefer: 'snowball' }).morphology;

export function tag(input: string | AnalyseInput, morphology: Morphology = voikko()): Analysis {
  return analyseText(typeof input === 'string' ? { text: input } : input, lexicons, morphology);
}

export function groupsOf(text: string, morphology?: Morphology): string[] {
  return tag(text, morphology).groups;
}
