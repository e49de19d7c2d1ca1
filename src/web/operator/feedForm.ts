// The feed form (new and edit): the fields of one feeds.yaml entry, the result of testing
// the address, and the problems that kept a save from being written, each beside its field.
import type { FastifyRequest } from 'fastify';
import { FEED_KINDS, type AppConfig } from '../../config/load.ts';
import { formatDuration, type ConfigProblem } from '../../config/yamlFile.ts';
import type { FeedCheck } from '../../feeds/check.ts';
import { formatInstant, type Lang } from '../../report/i18n.ts';
import { html, safeHref, type Html } from '../html.ts';
import { csrfField } from '../server.ts';
import { FEED_KEYS, type FeedFields, type FeedKey } from './feedsFile.ts';
import { operatorStrings, type OperatorStrings } from './strings.ts';

export const SHOWN_ITEMS = 5;

export interface FieldErrors {
  general: string[];
  fields: Partial<Record<FeedKey, string[]>>;
}

export type TestOutcome = { ok: true; check: FeedCheck } | { ok: false; error: string };

export interface FeedFormState {
  /** The feed's id when editing; null for a new feed. */
  editing: string | null;
  fields: FeedFields;
  /** Hash of the feeds file the form was made from. */
  base: string;
  errors?: FieldErrors;
  test?: TestOutcome;
  /** Shown above the form (a stale-file notice). */
  notice?: Html;
}

export function emptyFields(): FeedFields {
  return { id: '', name: '', url: '', kind: 'local_paper', municipalities: [], region: '', interval: '', enabled: true };
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' && v !== '' ? [v] : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '';
}

/** The form's fields from a posted body (absent checkbox: not enabled). */
export function fieldsFromBody(body: Record<string, unknown>): FeedFields {
  return {
    id: str(body.id).trim(),
    name: str(body.name).trim(),
    url: str(body.url).trim(),
    kind: str(body.kind).trim(),
    municipalities: list(body.municipalities).map((m) => m.trim()).filter(Boolean),
    region: str(body.region).trim(),
    interval: str(body.interval).trim(),
    enabled: str(body.enabled) === '1',
  };
}

/**
 * Problems of a save sorted to the form's fields: those about the edited feed (its place in
 * the list is `index`) go beside their field, anything else above the form.
 */
export function fieldErrors(problems: ConfigProblem[], index: number): FieldErrors {
  const out: FieldErrors = { general: [], fields: {} };
  for (const p of problems) {
    const m = /^feeds\[(\d+)\](?:\.([a-z_]+))?/.exec(p.field);
    if (m && Number(m[1]) === index) {
      // A feed-level problem is about coverage: no municipality and no known region.
      const key = ((FEED_KEYS as readonly string[]).includes(m[2] ?? '') ? m[2] : 'municipalities') as FeedKey;
      (out.fields[key] ??= []).push(p.message);
    } else {
      out.general.push(`${p.file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
    }
  }
  return out;
}

function problemsOf(errors: FieldErrors | undefined, key: FeedKey): Html | string {
  const msgs = errors?.fields[key];
  if (!msgs?.length) return '';
  return html`<span class="field-error" id="err-${key}" role="alert">${msgs.join(' ')}</span>`;
}

/** The attributes that tie a control to its hint and its problems. */
function aria(errors: FieldErrors | undefined, key: FeedKey, hint: boolean): Html {
  const bad = Boolean(errors?.fields[key]?.length);
  const ids = [hint ? `hint-${key}` : null, bad ? `err-${key}` : null].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${bad ? html` aria-invalid="true"` : ''}`;
}

function field(key: FeedKey, label: string, control: Html, errors: FieldErrors | undefined, hint?: string): Html {
  return html`<div class="field"><label for="f-${key}">${label}</label>
    ${control}${hint ? html`<span class="hint" id="hint-${key}">${hint}</span>` : ''}${problemsOf(errors, key)}</div>`;
}

/** Which configured town a reference (name, Swedish name or code) means. */
function townOf(config: AppConfig, ref: string) {
  const r = ref.trim().toLowerCase();
  return config.municipalities.find((m) => m.code === r || String(Number(m.code)) === r || m.nameFi.toLowerCase() === r || m.nameSv.toLowerCase() === r);
}

function testResult(outcome: TestOutcome, t: OperatorStrings, lang: Lang): Html {
  if (!outcome.ok) {
    return html`<section class="feed-test failed" aria-live="polite"><h2>${t.testResult}</h2>
<p class="error" role="alert">${t.testFailed} ${outcome.error}</p><p class="muted">${t.testNotSaved}</p></section>`;
  }
  const c = outcome.check;
  return html`<section class="feed-test" aria-live="polite"><h2>${t.testResult}</h2>
<p class="ok">${t.testOk(c.title ?? t.noTitle, c.items.length)}</p>
<p class="muted"><a href="${safeHref(c.url)}" rel="noopener noreferrer">${c.url}</a> · ${t.testNotSaved}</p>
${c.items.length > 0
  ? html`<h3>${t.firstItems}</h3><ol class="test-items">${c.items.slice(0, SHOWN_ITEMS).map(
      (it) => html`<li>${it.publishedAt ? html`<time datetime="${it.publishedAt}">${formatInstant(Date.parse(it.publishedAt), lang)}</time> ` : ''}<a href="${safeHref(it.url)}" rel="noopener noreferrer">${it.title ?? t.noTitle}</a></li>`,
    )}</ol>`
  : ''}
${c.problems.length > 0 ? html`<h3>${t.problems}</h3><ul class="test-problems">${c.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
</section>`;
}

export function feedForm(req: FastifyRequest, config: AppConfig, s: FeedFormState): Html {
  const t = operatorStrings(req.lang);
  const f = s.fields;
  const e = s.errors;
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const ref of f.municipalities) {
    const m = townOf(config, ref);
    if (m) chosen.add(m.code);
    else unknown.push(ref);
  }
  const regions = [...new Set(config.municipalities.map((m) => m.region))].sort((a, b) => a.localeCompare(b, 'fi'));
  const action = s.editing === null ? '/feeds' : `/feeds/${encodeURIComponent(s.editing)}`;
  const defaultInterval = formatDuration(config.settings.polling.defaultIntervalMs);
  return html`${s.notice ?? ''}
${e && e.general.length + Object.keys(e.fields).length > 0
  ? html`<div class="error-summary" role="alert"><p class="error">${t.notSaved}</p>${e.general.length > 0 ? html`<ul>${e.general.map((g) => html`<li>${g}</li>`)}</ul>` : ''}</div>`
  : ''}
<form method="post" action="${action}" class="feed-form" novalidate>
  ${csrfField(req)}
  <input type="hidden" name="base" value="${s.base}">
  <input type="hidden" name="editing" value="${s.editing ?? ''}">
  ${field('id', t.fId, html`<input id="f-id" name="id" value="${f.id}" required pattern="[a-z0-9][a-z0-9._\\-]{0,62}" autocomplete="off"${s.editing !== null ? html` readonly` : ''}${aria(e, 'id', true)}>`, e, t.fIdHint)}
  ${field('name', t.fName, html`<input id="f-name" name="name" value="${f.name}" autocomplete="off"${aria(e, 'name', false)}>`, e)}
  ${field('url', t.fUrl, html`<input id="f-url" name="url" value="${f.url}" required inputmode="url" autocomplete="off" class="wide"${aria(e, 'url', false)}>`, e)}
  ${field(
    'kind',
    t.fKind,
    html`<select id="f-kind" name="kind"${aria(e, 'kind', false)}>
      ${FEED_KINDS.map((k) => html`<option value="${k}"${f.kind === k ? html` selected` : ''}>${t.kinds[k] ?? k} (${k})</option>`)}
      ${f.kind && !(FEED_KINDS as readonly string[]).includes(f.kind) ? html`<option value="${f.kind}" selected>${f.kind}</option>` : ''}
    </select>`,
    e,
  )}
  ${field(
    'municipalities',
    t.fMunicipalities,
    html`<select id="f-municipalities" name="municipalities" multiple size="${Math.min(10, config.municipalities.length + unknown.length)}"${aria(e, 'municipalities', true)}>
      ${config.municipalities.map((m) => html`<option value="${m.nameFi}"${chosen.has(m.code) ? html` selected` : ''}>${m.nameFi}${m.nameSv !== m.nameFi ? ` / ${m.nameSv}` : ''}</option>`)}
      ${unknown.map((u) => html`<option value="${u}" selected>${t.unknownMunicipality(u)}</option>`)}
    </select>`,
    e,
    t.fMunicipalitiesHint,
  )}
  ${field(
    'region',
    t.fRegion,
    html`<input id="f-region" name="region" value="${f.region}" list="regions" autocomplete="off"${aria(e, 'region', true)}>
    <datalist id="regions">${regions.map((r) => html`<option value="${r}"></option>`)}</datalist>`,
    e,
    t.fRegionHint,
  )}
  ${field('interval', t.fInterval, html`<input id="f-interval" name="interval" value="${f.interval}" placeholder="${defaultInterval}" autocomplete="off"${aria(e, 'interval', true)}>`, e, t.fIntervalHint(defaultInterval))}
  <div class="field check"><input type="checkbox" id="f-enabled" name="enabled" value="1"${f.enabled ? html` checked` : ''}${aria(e, 'enabled', false)}> <label for="f-enabled">${t.fEnabled}</label>${problemsOf(e, 'enabled')}</div>
  <div class="buttons">
    <button type="submit" name="action" value="save">${t.save}</button>
    <button type="submit" name="action" value="test" formaction="/feeds/test" class="secondary">${t.test}</button>
    <a href="/feeds">${t.cancel}</a>
  </div>
</form>
${s.test ? testResult(s.test, t, req.lang) : ''}`;
}
