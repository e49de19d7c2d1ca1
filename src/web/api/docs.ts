// /api/docs: the OpenAPI document as a readable page, rendered on the server from the same
// document /api/openapi.json serves (no script, nothing fetched from elsewhere).
import { html, type Html } from '../html.ts';
import type { Lang } from '../i18n.ts';
import type { OpenApiDocument } from './openapi.ts';

const TEXT = {
  fi: {
    title: 'JSON-rajapinta',
    intro: 'Koneluettava kuvaus (OpenAPI 3.1):',
    auth: 'Tunnistautuminen',
    schemes: 'Tavat tunnistautua',
    operations: 'Toiminnot',
    parameters: 'Parametrit',
    name: 'Nimi',
    where: 'Missä',
    type: 'Tyyppi',
    required: 'Pakollinen',
    description: 'Kuvaus',
    yes: 'kyllä',
    body: 'Pyynnön runko (JSON)',
    responses: 'Vastaukset',
    schemas: 'Tietotyypit',
    security: 'Tunnistautuminen',
    anonymous: 'ei tarvita, kun palvelin ei vaadi kirjautumista',
    role: 'Vaadittu rooli',
    field: 'Kenttä',
    fields: 'Kentät',
    defaultIs: 'oletus',
  },
  en: {
    title: 'JSON API',
    intro: 'Machine-readable description (OpenAPI 3.1):',
    auth: 'Authentication',
    schemes: 'Ways to authenticate',
    operations: 'Operations',
    parameters: 'Parameters',
    name: 'Name',
    where: 'In',
    type: 'Type',
    required: 'Required',
    description: 'Description',
    yes: 'yes',
    body: 'Request body (JSON)',
    responses: 'Responses',
    schemas: 'Data types',
    security: 'Authentication',
    anonymous: 'none when the server does not require login',
    role: 'Required role',
    field: 'Field',
    fields: 'Fields',
    defaultIs: 'default',
  },
} as const;

type S = Record<string, unknown>;

const REF = '#/components/schemas/';

/** Descriptions are CommonMark in OpenAPI; ours use only `code`. */
function prose(text: string | undefined): Html {
  if (!text) return html``;
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}
const anchor = (name: string) => `schema-${name}`;

/** A schema's type in a few words, with links to named types. */
function typeOf(s: S | undefined): Html {
  if (!s) return html``;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.slice(REF.length);
    return html`<a href="#${anchor(name)}">${name}</a>`;
  }
  if (Array.isArray(s.anyOf)) return html`${(s.anyOf as S[]).map((x, i) => html`${i > 0 ? ' | ' : ''}${typeOf(x)}`)}`;
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  const parts = types.map((t) => (t === 'array' ? html`array of ${typeOf(s.items as S | undefined) || 'any'}` : html`${t}`));
  const format = s.format ? html` (${s.format as string})` : '';
  const en = Array.isArray(s.enum) ? html`: ${(s.enum as unknown[]).map(String).join(', ')}` : '';
  return html`${parts.map((p, i) => html`${i > 0 ? ' | ' : ''}${p}`)}${format}${en}`;
}

function describe(s: S, lang: Lang): Html {
  const t = TEXT[lang];
  const bits: (Html | string)[] = [];
  if (typeof s.description === 'string') bits.push(prose(s.description));
  if (s.default !== undefined) bits.push(html`<span class="muted">${t.defaultIs}: <code>${JSON.stringify(s.default)}</code></span>`);
  const limits = [
    s.minimum !== undefined ? `≥ ${s.minimum as number}` : '',
    s.maximum !== undefined ? `≤ ${s.maximum as number}` : '',
    s.pattern ? `pattern ${s.pattern as string}` : '',
  ].filter(Boolean);
  if (limits.length) bits.push(html`<span class="muted">${limits.join(', ')}</span>`);
  return html`${bits.map((b, i) => html`${i > 0 ? ' ' : ''}${b}`)}`;
}

/** An object schema's fields as a table; other schemas as their type. */
function schemaTable(s: S, lang: Lang): Html {
  const t = TEXT[lang];
  const props = s.properties as Record<string, S> | undefined;
  if (!props) return html`<p>${typeOf(s)}${s.description ? html` — ${prose(s.description as string)}` : ''}</p>`;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return html`<table class="api-fields">
    <thead><tr><th>${t.field}</th><th>${t.type}</th><th>${t.required}</th><th>${t.description}</th></tr></thead>
    <tbody>${Object.entries(props).map(
      ([name, p]) => html`<tr><td><code>${name}</code></td><td>${typeOf(p)}</td><td>${required.has(name) ? t.yes : ''}</td><td>${describe(p, lang)}${nested(p, lang)}</td></tr>`,
    )}</tbody>
  </table>`;
}

/** Inline object types (array items without a name) are shown where they occur. */
function nested(s: S, lang: Lang): Html {
  const items = s.items as S | undefined;
  if (items && items.properties) return html`<details><summary>${TEXT[lang].fields}</summary>${schemaTable(items, lang)}</details>`;
  if (s.properties) return html`<details><summary>${TEXT[lang].fields}</summary>${schemaTable(s, lang)}</details>`;
  return html``;
}

function securityOf(op: S, lang: Lang): Html {
  const t = TEXT[lang];
  const alternatives = (op.security as Record<string, string[]>[] | undefined) ?? [];
  const role = op['x-required-role'] as string | undefined;
  const words = alternatives.map((a) => {
    const names = Object.keys(a);
    return names.length === 0 ? t.anonymous : names.join(' + ');
  });
  return html`<p><strong>${t.security}:</strong> ${words.join(' | ')}${role ? html`. <strong>${t.role}:</strong> ${role}` : ''}</p>`;
}

function operation(path: string, method: string, op: S, lang: Lang): Html {
  const t = TEXT[lang];
  const params = (op.parameters as S[] | undefined) ?? [];
  const body = (op.requestBody as { content: Record<string, { schema: S }> } | undefined)?.content['application/json']?.schema;
  const responses = op.responses as Record<string, { description: string; content?: Record<string, { schema: S }> }>;
  return html`<section class="api-op" id="${op.operationId as string}">
    <h3><span class="api-method api-${method}">${method.toUpperCase()}</span> <code>${path}</code></h3>
    <p>${prose(op.summary as string)}</p>
    ${op.description ? html`<p class="muted">${prose(op.description as string)}</p>` : ''}
    ${securityOf(op, lang)}
    ${params.length
      ? html`<h4>${t.parameters}</h4>
        <table class="api-fields">
          <thead><tr><th>${t.name}</th><th>${t.where}</th><th>${t.type}</th><th>${t.required}</th><th>${t.description}</th></tr></thead>
          <tbody>${params.map(
            (p) => html`<tr><td><code>${p.name as string}</code></td><td>${p.in as string}</td><td>${typeOf(p.schema as S)}</td><td>${p.required ? t.yes : ''}</td><td>${prose(p.description as string | undefined)}${p.schema ? html` ${describe({ ...(p.schema as S), description: undefined }, lang)}` : ''}</td></tr>`,
          )}</tbody>
        </table>`
      : ''}
    ${body ? html`<h4>${t.body}</h4>${body.$ref ? html`<p>${typeOf(body)}</p>` : schemaTable(body, lang)}` : ''}
    <h4>${t.responses}</h4>
    <dl class="api-responses">${Object.entries(responses).map(
      ([status, r]) => html`<dt>${status}</dt><dd>${prose(r.description)}${Object.entries(r.content ?? {}).map(
        ([type, c]) => html`<div><code>${type}</code>: ${typeOf(c.schema)}</div>`,
      )}</dd>`,
    )}</dl>
  </section>`;
}

export function renderApiDocs(doc: OpenApiDocument, lang: Lang): { title: string; body: Html } {
  const t = TEXT[lang];
  const byTag = new Map<string, [string, string, S][]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0]!;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push([path, method, op]);
    }
  }
  const tags = [...doc.tags.map((x) => x.name).filter((n) => byTag.has(n)), ...[...byTag.keys()].filter((n) => !doc.tags.some((x) => x.name === n))];
  const info = doc.info as { title: string; version: string; description: string };
  const body = html`<div class="api-docs">
    <p>${prose(info.description)}</p>
    <p>${t.intro} <a href="/api/openapi.json"><code>/api/openapi.json</code></a> (${info.title} ${info.version})</p>
    <nav class="api-toc"><ul>${tags.map(
      (tag) => html`<li>${tag}<ul>${byTag.get(tag)!.map(([path, method, op]) => html`<li><a href="#${op.operationId as string}">${method.toUpperCase()} ${path}</a></li>`)}</ul></li>`,
    )}</ul></nav>
    <h2>${t.schemes}</h2>
    <dl>${Object.entries(doc.components.securitySchemes).map(([name, s]) => html`<dt><code>${name}</code></dt><dd>${prose(s.description)}</dd>`)}</dl>
    ${tags.map((tag) => html`<h2>${tag}</h2>
      ${doc.tags.find((x) => x.name === tag) ? html`<p class="muted">${prose(doc.tags.find((x) => x.name === tag)!.description)}</p>` : ''}
      ${byTag.get(tag)!.map(([path, method, op]) => operation(path, method, op, lang))}`)}
    <h2>${t.schemas}</h2>
    ${Object.entries(doc.components.schemas).map(
      ([name, s]) => html`<section class="api-schema" id="${anchor(name)}"><h3>${name}</h3>${(s as S).description ? html`<p>${prose((s as S).description as string)}</p>` : ''}${schemaTable(s as S, lang)}</section>`,
    )}
  </div>`;
  return { title: t.title, body };
}
