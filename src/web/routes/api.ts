// The JSON API under /api/v1, its OpenAPI document (/api/openapi.json) and the document as a
// page (/api/docs). Every route's schema is what fastify validates the request with and
// serialises the response with, and what the document is generated from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REPO_ROOT } from '../../config/load.ts';
import { FORMATS } from '../../export/formats.ts';
import type { TextPolicy } from '../../export/query.ts';
import { buildMatch, parseQuery, queryKeys, queryMorphology } from '../analyst/search.ts';
import { articleDetail, articleTags, DEFAULT_LIMIT, listArticles, MAX_LIMIT } from '../api/articles.ts';
import { renderApiDocs } from '../api/docs.ts';
import { apiErrorHandler, ApiError, checkParameters } from '../api/errors.ts';
import { exportHandler, MAX_RUNNING_EXPORTS } from '../api/export.ts';
import { articleFilters, type FilterQuery } from '../api/filters.ts';
import { alerts, indicatorRows, type IndicatorQuery } from '../api/indicators.ts';
import { feedList, municipalityList } from '../api/monitored.ts';
import { ApiDocument, type RouteSchema } from '../api/openapi.ts';
import {
  AlertSchema, ARTICLE_FILTERS, ArticleDetailSchema, ArticleRecordSchema, ArticleSummarySchema, ErrorBody, FeedSchema, GroupTagSchema, IndicatorRowSchema,
  MunicipalitySchema, TEXT_POLICY, WEEK, type Schema,
} from '../api/schemas.ts';
import { CorrectionError, correctionVocabulary, NOTE_MAX, recordAndRefresh, TONE_VALUES } from '../corrections/store.ts';
import { requireRole, type WebContext } from '../server.ts';

type Security = Record<string, string[]>[];
/** Anonymous reading is allowed where the server does not require login. */
const READ: Security = [{}, { bearerToken: [] }, { sessionCookie: [] }];
const USER: Security = [{ bearerToken: [] }, { sessionCookie: [] }];
/** A change: a token, or a session with its CSRF token in x-csrf-token. */
const CHANGE: Security = [{ bearerToken: [] }, { sessionCookie: [], csrfHeader: [] }];

const TAGS = [
  { name: 'monitoring', description: 'The municipalities and feeds being monitored.' },
  { name: 'indicators', description: 'Weekly indicators per municipality, week and group, and the alerts they raise.' },
  { name: 'articles', description: 'The tagged articles with their evidence.' },
  { name: 'corrections', description: 'Analysts’ judgements of the group tags, which the indicators apply.' },
  { name: 'export', description: 'The researcher export: a filtered slice of the corpus, streamed.' },
  { name: 'documentation', description: 'This document.' },
];

const READ_NOTE =
  'Open to anyone on a server that listens on loopback only and does not require login; otherwise a session or an API token is needed.';

const query = (properties: Record<string, Schema>): Schema => ({ type: 'object', properties });
/** A JSON response; named schemas stay themselves, so the document refers to them. */
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorBody]));

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
}

/** The browser's search expression for q; undefined without q. */
function fullTextMatch(q: string | undefined): string | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  const morphology = queryMorphology();
  const match = buildMatch(parseQuery(q), (w) => queryKeys(w, morphology));
  if (match === null) throw new ApiError(400, 'q: no words to search for', ['q']);
  return match;
}

export function registerRoutes(app: FastifyInstance, ctx: WebContext): void {
  // Before any route: the document collects the routes as they are registered.
  const doc = new ApiDocument(
    app,
    {
      title: 'Mediamittari API',
      version: version(),
      description:
        'Weekly media indicators of population relations in Finnish local news, the tagged articles behind them with their evidence, and the researcher export. Times are Helsinki time with their offset; weeks are ISO weeks in Helsinki time. Errors are JSON {error, status} with the wrong parameters named in `parameters`.',
    },
    TAGS,
  );
  const common = { errorHandler: apiErrorHandler(ctx), preValidation: checkParameters };
  const withQuery = <Q>(handler: (q: Q) => unknown) => async (req: FastifyRequest) => handler(req.query as Q);

  app.get(
    '/api/openapi.json',
    {
      ...common,
      schema: {
        operationId: 'openapi',
        summary: 'This document (OpenAPI 3.1), open to everyone.',
        tags: ['documentation'],
        security: [{}],
        response: { 200: json({ type: 'object', additionalProperties: true }, 'The OpenAPI document.') },
      } satisfies RouteSchema,
    },
    async () => doc.document(),
  );

  app.get(
    '/api/docs',
    {
      ...common,
      schema: {
        operationId: 'docs',
        summary: 'This document as a page.',
        tags: ['documentation'],
        security: READ,
        response: { 200: { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } } },
      } satisfies RouteSchema,
    },
    async (req, reply) => ctx.page(req, reply, renderApiDocs(doc.document(), req.lang)),
  );

  app.get(
    '/api/v1/municipalities',
    {
      ...common,
      schema: {
        operationId: 'listMunicipalities',
        summary: 'The monitored municipalities, with the feeds covering each and its article count.',
        description: READ_NOTE,
        tags: ['monitoring'],
        security: READ,
        response: {
          200: json({ type: 'object', properties: { municipalities: { type: 'array', items: MunicipalitySchema } }, required: ['municipalities'] }, 'By code.'),
          ...errors(401),
        },
      } satisfies RouteSchema,
    },
    async () => ({ municipalities: municipalityList(ctx) }),
  );

  app.get(
    '/api/v1/feeds',
    {
      ...common,
      schema: {
        operationId: 'listFeeds',
        summary: 'The configured feeds with their polling health.',
        description: READ_NOTE,
        tags: ['monitoring'],
        security: READ,
        response: {
          200: json({ type: 'object', properties: { feeds: { type: 'array', items: FeedSchema } }, required: ['feeds'] }, 'In configuration order.'),
          ...errors(401),
        },
      } satisfies RouteSchema,
    },
    async () => ({ feeds: feedList(ctx) }),
  );

  app.get(
    '/api/v1/indicators',
    {
      ...common,
      schema: {
        operationId: 'listIndicators',
        summary: 'Weekly indicators in long format: the same rows as `mediamittari indicators export`.',
        description: `One row per municipality, week, group and indicator, with its n and 95 % interval. ${READ_NOTE}`,
        tags: ['indicators'],
        security: READ,
        querystring: query({
          from: { ...WEEK, description: 'First ISO week (default: the first counted week).' },
          to: { ...WEEK, description: 'Last ISO week, included (default: the last complete week).' },
          municipality: { type: 'array', items: { type: 'string' }, description: 'Municipality code or name; repeat for several.' },
          group: { type: 'array', items: { type: 'string' }, description: 'Group id; repeat for several. An empty value (group=) selects the municipality-level coverage indicators.' },
          indicator: { type: 'array', items: { type: 'string' }, description: 'Indicator id (salience, tone_balance, …); repeat for several.' },
        }),
        response: {
          200: json(
            {
              type: 'object',
              properties: { from: { type: 'string' }, to: { type: 'string' }, rows: { type: 'array', items: IndicatorRowSchema } },
              required: ['from', 'to', 'rows'],
            },
            'The weeks covered and the rows: municipality, week, then the municipality-level indicators before the groups.',
          ),
          ...errors(400, 401),
        },
      } satisfies RouteSchema,
    },
    withQuery<IndicatorQuery>((q) => indicatorRows(ctx, q)),
  );

  app.get(
    '/api/v1/alerts',
    {
      ...common,
      schema: {
        operationId: 'listAlerts',
        summary: 'Alerts of a week: a group’s negative stories in a municipality far above its own baseline, with the articles and terms behind each.',
        description: READ_NOTE,
        tags: ['indicators'],
        security: READ,
        querystring: query({
          week: { ...WEEK, description: 'ISO week (default: the last complete week).' },
          municipality: { type: 'array', items: { type: 'string' }, description: 'Municipality code or name; repeat for several.' },
        }),
        response: {
          200: json(
            { type: 'object', properties: { week: { type: 'string' }, alerts: { type: 'array', items: AlertSchema } }, required: ['week', 'alerts'] },
            'In municipality and group order.',
          ),
          ...errors(400, 401),
        },
      } satisfies RouteSchema,
    },
    withQuery<{ week?: string; municipality?: string[] }>((q) => alerts(ctx, q)),
  );

  app.get(
    '/api/v1/articles',
    {
      ...common,
      schema: {
        operationId: 'listArticles',
        summary: 'Tagged articles, newest first, with the filters of the export.',
        description: `The filters select by the analysis’s own tags, as the export does (the same filters give the export’s rows); each article’s tags are shown with analysts’ corrections applied. Page with limit and offset, or follow next_cursor (stable while articles arrive). ${READ_NOTE}`,
        tags: ['articles'],
        security: READ,
        querystring: query({
          ...ARTICLE_FILTERS,
          q: {
            type: 'string',
            maxLength: 1000,
            description:
              'Full-text search, as in the article browser: every word must match, by its base form (kaupunki finds kaupungissa) or as the start of a word; "quoted words" match as a phrase.',
          },
          limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Articles per page.' },
          offset: { type: 'integer', minimum: 0, description: 'Articles to skip (instead of cursor).' },
          cursor: { type: 'string', description: 'next_cursor of the previous page (instead of offset).' },
        }),
        response: {
          200: json(
            {
              type: 'object',
              properties: {
                total: { type: ['integer', 'null'], description: 'Articles matching the filters; null on the pages reached by cursor (counted with the first one).' },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
                next_cursor: { type: ['string', 'null'], description: 'For the next page; null on the last one.' },
                articles: { type: 'array', items: ArticleSummarySchema },
              },
              required: ['total', 'limit', 'offset', 'next_cursor', 'articles'],
            },
            'One page.',
          ),
          ...errors(400, 401),
        },
      } satisfies RouteSchema,
    },
    withQuery<FilterQuery & { q?: string; limit: number; offset?: number; cursor?: string }>((q) =>
      listArticles(ctx.store, articleFilters(ctx, q), { limit: q.limit, offset: q.offset, cursor: q.cursor, match: fullTextMatch(q.q) }),
    ),
  );

  app.get(
    '/api/v1/articles/:id',
    {
      ...common,
      schema: {
        operationId: 'getArticle',
        summary: 'One article with its mentions, tone evidence, voices and corrections.',
        description: `The fields of a line of the JSONL export (offsets per field in Unicode code points), plus the tags with analysts’ corrections applied and the history of corrections. ${READ_NOTE}`,
        tags: ['articles'],
        security: READ,
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'Article id.' } }, required: ['id'] },
        querystring: query({ text: { ...TEXT_POLICY, default: 'snippet' } }),
        response: { 200: json(ArticleDetailSchema, 'The article.'), ...errors(400, 401, 404) },
      } satisfies RouteSchema,
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const article = articleDetail(ctx.store, id, (req.query as { text: TextPolicy }).text);
      if (!article) throw new ApiError(404, `no article ${id}`);
      return article;
    },
  );

  app.get(
    '/api/v1/export',
    {
      ...common,
      exposeHeadRoute: false,
      onRequest: requireRole(ctx, 'viewer'),
      schema: {
        operationId: 'exportArticles',
        summary: 'The researcher export, streamed: the same bytes as `mediamittari export` for the same filters.',
        description: `Every field with its evidence, one article per line (JSONL), per row (CSV, RFC 4180) or per row of a Parquet file. The response is streamed as it is read, so any size downloads in constant server memory; a response that ends early is incomplete. With datapackage=1 the answer is the Frictionless datapackage.json of the same request (field descriptions, filters, row count, size and SHA-256 of the data), which the data response links to (Link: rel="describedby"). Needs a user (a session or an API token) even where reading is open; at most ${MAX_RUNNING_EXPORTS} exports run at once.`,
        tags: ['export'],
        security: USER,
        'x-required-role': 'viewer',
        querystring: query({
          format: { type: 'string', enum: [...FORMATS], default: 'jsonl', description: 'File format.' },
          text: { ...TEXT_POLICY, default: 'snippet' },
          ...ARTICLE_FILTERS,
          bom: { type: 'boolean', description: 'CSV only: begin with a UTF-8 byte-order mark, for spreadsheet programs.' },
          datapackage: { type: 'boolean', description: 'Answer with the datapackage.json describing this export instead of the data.' },
        }),
        response: {
          200: {
            description: 'The export (named mediamittari-articles.<format> in Content-Disposition), or its datapackage.json with datapackage=1.',
            content: {
              'application/x-ndjson': { schema: ArticleRecordSchema },
              'text/csv': { schema: { type: 'string', description: 'A header row, then one row per article; nested fields as JSON text.' } },
              'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary', description: 'Nested fields as JSON text.' } },
              'application/json': { schema: { type: 'object', additionalProperties: true, description: 'Frictionless Data Package (datapackage=1).' } },
            },
          },
          ...errors(400, 401, 429),
        },
      } satisfies RouteSchema,
    },
    exportHandler(app, ctx),
  );

  app.post(
    '/api/v1/articles/:id/corrections',
    {
      ...common,
      onRequest: requireRole(ctx, 'analyst'),
      schema: {
        operationId: 'correctArticle',
        summary: 'Judge an article’s tag for one group: correct its tone, frame or voice, add a group the analysis missed, or remove one it saw wrongly.',
        description:
          'The same judgement as the article page’s correction panel. Only fields that differ from the current tags are stored (with confirm, the unchanged ones too, as confirmations); rows are only ever added, and the latest per group and field stands. The indicators are recounted for the article’s weeks before the answer.',
        tags: ['corrections'],
        security: CHANGE,
        'x-required-role': 'analyst',
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'Article id.' } }, required: ['id'] },
        body: {
          type: 'object',
          properties: {
            group: { type: 'string', description: 'Group id (roma, immigrants, …).' },
            present: { type: 'boolean', description: 'false: the group is not in the article; true: it is (adds a group the analysis missed).' },
            tone: { type: 'string', enum: [...TONE_VALUES], description: 'The group’s tone in the article.' },
            frame: { type: 'string', description: 'The group’s frame (crime_security, integration_work, …).' },
            voice: { type: 'boolean', description: 'A member of the group speaks in the article.' },
            note: { type: 'string', maxLength: NOTE_MAX, description: 'Why, for the other analysts.' },
            confirm: { type: 'boolean', default: false, description: 'Store the given fields that equal the current tags too, as confirmations.' },
          },
          required: ['group'],
        },
        response: {
          201: json(
            {
              type: 'object',
              properties: {
                article: { type: 'integer' },
                recorded: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      id: { type: 'integer' },
                      group: { type: 'string' },
                      field: { type: 'string', enum: ['present', 'tone', 'frame', 'voice'] },
                      value: { type: 'string' },
                      machine_value: { type: ['string', 'null'], description: 'What the analysis says; null for a group it did not tag.' },
                      previous: { type: 'string', description: 'The value the judgement replaced or confirmed.' },
                    },
                    required: ['id', 'group', 'field', 'value', 'machine_value', 'previous'],
                  },
                },
                tags: { type: 'array', items: GroupTagSchema, description: 'The article’s tags with the corrections applied, after this one.' },
                recounted_weeks: { type: 'array', items: { type: 'string' }, description: 'Weeks whose indicators were recounted.' },
              },
              required: ['article', 'recorded', 'tags', 'recounted_weeks'],
            },
            'Stored.',
          ),
          ...errors(400, 401, 403, 404),
        },
      } satisfies RouteSchema,
    },
    async (req, reply) => {
      const { id } = req.params as { id: number };
      const body = req.body as { group: string; present?: boolean; tone?: string; frame?: string; voice?: boolean; note?: string; confirm: boolean };
      const user = req.viewer.user!;
      try {
        const { rows, refresh } = recordAndRefresh(ctx.store, {
          articleId: id,
          ...body,
          user: { id: user.id, username: user.username },
          vocabulary: correctionVocabulary(ctx.config()),
        });
        ctx.log.info('group tags checked', {
          username: user.username,
          via: req.viewer.via,
          article: id,
          group: rows[0]!.group,
          fields: rows.map((r) => `${r.field}:${r.previous}→${r.value}`).join(' '),
          weeks: refresh.weeks.join(','),
        });
        return reply.code(201).send({
          article: id,
          recorded: rows.map((r) => ({ id: r.id, group: r.group, field: r.field, value: r.value, machine_value: r.machineValue, previous: r.previous })),
          tags: articleTags(ctx.store, id),
          recounted_weeks: refresh.weeks,
        });
      } catch (e) {
        if (e instanceof CorrectionError) throw new ApiError(e.status, e.text[req.lang], e.field ? [e.field] : []);
        throw e;
      }
    },
  );
}
