// Operator pages: the feeds with their health, adding and editing feeds in feeds.yaml (with
// a test fetch before saving), and in the distributed mode the queues and Bull Board.
// Everything here needs the operator role.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadConfig } from '../../config/load.ts';
import { checkFeed } from '../../feeds/check.ts';
import { httpClientFor } from '../../pipeline/collector.ts';
import { html, type Html } from '../html.ts';
import { requireRole, type WebContext } from '../server.ts';
import { emptyFields, feedForm, fieldErrors, fieldsFromBody, type FeedFormState, type TestOutcome } from '../operator/feedForm.ts';
import { feedListPage } from '../operator/feedList.ts';
import {
  feedFieldsOf,
  InvalidFeedEdit,
  readFeedsFile,
  saveFeedsFile,
  StaleFeedsFile,
  UnknownFeed,
  type FeedEdit,
  type FeedFields,
} from '../operator/feedsFile.ts';
import { mountBullBoard, registerQueuePages } from '../operator/queues.ts';
import { operatorStrings } from '../operator/strings.ts';

type Body = Record<string, unknown>;

function feedsPath(ctx: WebContext): string {
  return ctx.config().files.feeds;
}

function formPage(ctx: WebContext, req: FastifyRequest, reply: FastifyReply, state: FeedFormState, status = 200) {
  const t = operatorStrings(req.lang);
  return ctx.page(req, reply, {
    title: state.editing === null ? t.newFeedTitle : t.editFeedTitle(state.fields.name || state.editing),
    active: 'feeds',
    status,
    body: feedForm(req, ctx.config(), state),
  });
}

/** Relative addresses mean what they mean in feeds.yaml: relative to the configured base. */
function absoluteUrl(ctx: WebContext, raw: string): string {
  const base = ctx.configOptions.baseUrl;
  return base && !/^[a-z][a-z0-9+.-]*:/i.test(raw) ? new URL(raw, base).href : raw;
}

/** Fetches the address as `mediamittari feeds check` would; stores nothing. */
async function testFeed(ctx: WebContext, raw: string, lang: FastifyRequest['lang']): Promise<TestOutcome> {
  const t = operatorStrings(lang);
  if (!raw) return { ok: false, error: t.testNeedsUrl };
  let url: string;
  try {
    url = absoluteUrl(ctx, raw);
  } catch {
    return { ok: false, error: `"${raw}" is not a URL` };
  }
  const http = httpClientFor(ctx.config());
  try {
    return { ok: true, check: await checkFeed(http, url) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    http.close();
  }
}

/** Saves an edit, or says on the form why it was not saved. */
function save(ctx: WebContext, req: FastifyRequest, reply: FastifyReply, edit: FeedEdit & { op: 'add' | 'update' }, base: string) {
  const t = operatorStrings(req.lang);
  const path = feedsPath(ctx);
  const editing = edit.op === 'update' ? edit.id : null;
  const fields: FeedFields = edit.op === 'update' ? { ...edit.fields, id: edit.id } : edit.fields;
  try {
    const saved = saveFeedsFile(path, edit, { baseHash: base, validate: (candidate) => loadConfig({ ...ctx.configOptions, feedsFile: candidate }) });
    if (saved.changed) {
      ctx.log.info(edit.op === 'add' ? 'feed added' : 'feed edited', { feed: fields.id, by: req.viewer.user?.username, file: path });
    }
    return reply.redirect(`/feeds?saved=${encodeURIComponent(fields.id)}`, 303);
  } catch (e) {
    if (e instanceof InvalidFeedEdit) {
      ctx.log.info('feed edit refused: the config would not load', { feed: fields.id, by: req.viewer.user?.username, problems: e.problems.length });
      return formPage(ctx, req, reply, { editing, fields, base, errors: fieldErrors(e.problems, e.index) }, 422);
    }
    if (e instanceof StaleFeedsFile) {
      const now = readFeedsFile(path);
      const current = editing ? feedFieldsOf(now.text, editing) : null;
      ctx.log.info('feed edit refused: the file changed since the form was loaded', { feed: fields.id, by: req.viewer.user?.username });
      const notice = html`<div class="error-summary" role="alert"><p class="error">${t.stale}</p>${
        current ? html`<p>${t.staleNow}</p>${currentValues(current)}<p>${t.staleAgain}</p>` : ''
      }</div>`;
      return formPage(ctx, req, reply, { editing, fields, base: now.hash, notice }, 409);
    }
    if (e instanceof UnknownFeed) return ctx.fail(req, reply, 404, t.unknownFeed(e.id));
    throw e;
  }
}

function currentValues(f: FeedFields): Html {
  const rows: [string, string][] = [
    ['name', f.name],
    ['url', f.url],
    ['kind', f.kind],
    ['municipalities', f.municipalities.join(', ')],
    ['region', f.region],
    ['interval', f.interval],
    ['enabled', String(f.enabled)],
  ];
  return html`<dl class="current">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v || '–'}</dd>`)}</dl>`;
}

function toggle(ctx: WebContext, req: FastifyRequest, reply: FastifyReply, enabled: boolean) {
  const t = operatorStrings(req.lang);
  const id = (req.params as { id: string }).id;
  const path = feedsPath(ctx);
  try {
    // A toggle writes one flag into the file as it is now; nothing else from the page goes back.
    const saved = saveFeedsFile(path, { op: 'enable', id, enabled }, { validate: (candidate) => loadConfig({ ...ctx.configOptions, feedsFile: candidate }) });
    if (saved.changed) ctx.log.info(enabled ? 'feed enabled' : 'feed disabled', { feed: id, by: req.viewer.user?.username, file: path });
    return reply.redirect(`/feeds?${enabled ? 'enabled' : 'disabled'}=${encodeURIComponent(id)}`, 303);
  } catch (e) {
    if (e instanceof UnknownFeed) return ctx.fail(req, reply, 404, t.unknownFeed(id));
    if (e instanceof InvalidFeedEdit) return ctx.fail(req, reply, 422, `${t.notSaved} ${e.problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`).join('; ')}`);
    throw e;
  }
}

function flashOf(req: FastifyRequest): Html | null {
  const t = operatorStrings(req.lang);
  const q = req.query as Record<string, string | undefined>;
  if (q.saved) return html`<p class="ok" role="status">${t.saved(q.saved)}</p>`;
  if (q.disabled) return html`<p class="ok" role="status">${t.disabledDone(q.disabled)}</p>`;
  if (q.enabled) return html`<p class="ok" role="status">${t.enabledDone(q.enabled)}</p>`;
  return null;
}

export async function registerRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('preHandler', requireRole(ctx, 'operator'));

    scope.get('/feeds', async (req, reply) =>
      ctx.page(req, reply, { title: operatorStrings(req.lang).feedsTitle, active: 'feeds', body: feedListPage(ctx, req, flashOf(req)) }),
    );

    scope.get('/feeds/new', async (req, reply) => formPage(ctx, req, reply, { editing: null, fields: emptyFields(), base: readFeedsFile(feedsPath(ctx)).hash }));

    scope.get('/feeds/:id/edit', async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const file = readFeedsFile(feedsPath(ctx));
      const fields = feedFieldsOf(file.text, id);
      if (!fields) return ctx.fail(req, reply, 404, operatorStrings(req.lang).unknownFeed(id));
      return formPage(ctx, req, reply, { editing: id, fields, base: file.hash });
    });

    // The form's Test button. A feed may be called "test": its Save button posts here too,
    // and says so.
    scope.post('/feeds/test', async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const editing = String(body.editing ?? '') || null;
      const fields = fieldsFromBody(body);
      const base = String(body.base ?? '');
      if (body.action === 'save') {
        return editing === null
          ? save(ctx, req, reply, { op: 'add', fields }, base)
          : save(ctx, req, reply, { op: 'update', id: editing, fields }, base);
      }
      const test = await testFeed(ctx, fields.url, req.lang);
      return formPage(ctx, req, reply, { editing, fields: editing ? { ...fields, id: editing } : fields, base, test });
    });

    scope.post('/feeds', async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return save(ctx, req, reply, { op: 'add', fields: fieldsFromBody(body) }, String(body.base ?? ''));
    });

    scope.post('/feeds/:id', async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const id = (req.params as { id: string }).id;
      return save(ctx, req, reply, { op: 'update', id, fields: fieldsFromBody(body) }, String(body.base ?? ''));
    });

    scope.post('/feeds/:id/disable', async (req, reply) => toggle(ctx, req, reply, false));
    scope.post('/feeds/:id/enable', async (req, reply) => toggle(ctx, req, reply, true));

    if (ctx.queue) registerQueuePages(scope, ctx, ctx.queue);
  });
  if (ctx.queue) await mountBullBoard(app, ctx, ctx.queue);
}
