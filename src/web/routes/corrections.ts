// Analysts' corrections of group tags and the machine–analyst agreement:
//   POST /articles/:id/corrections   a judgement from the article page's correction panel
//   GET  /articles/:id/corrections   the panel on a page of its own, with the article's history
//   GET  /agreement                  Krippendorff's alpha per week, the disagreements listed
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { machineAnalystAgreement } from '../../indicators/agreement.ts';
import { compareWeeks, formatWeek, parseWeek } from '../../indicators/week.ts';
import { agreementBody } from '../corrections/agreementPage.ts';
import { correctionPanel } from '../corrections/panel.ts';
import { CorrectionError, correctionVocabulary, recordAndRefresh } from '../corrections/store.ts';
import { CORRECTION_TEXT } from '../corrections/strings.ts';
import { html } from '../html.ts';
import { COMMON } from '../i18n.ts';
import { requireRole, type WebContext } from '../server.ts';

function articleIdOf(req: FastifyRequest): number | null {
  const raw = (req.params as { id?: string }).id ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

/** A form field sent once; a repeated one counts by its first value. */
const one = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

export function registerRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.post('/articles/:id/corrections', { preHandler: requireRole(ctx, 'analyst') }, async (req, reply) => {
    const id = articleIdOf(req);
    if (id === null) return ctx.fail(req, reply, 404, COMMON[req.lang].notFound);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = one(body.action);
    const user = req.viewer.user!;
    try {
      const { rows, refresh } = recordAndRefresh(ctx.store, {
        articleId: id,
        group: one(body.group),
        present: one(body.present),
        tone: one(body.tone),
        frame: one(body.frame),
        voice: one(body.voice),
        note: one(body.note),
        // Confirming, or adding a group, records every field shown as the analyst's judgement.
        confirm: action === 'confirm' || action === 'add',
        user: { id: user.id, username: user.username },
        vocabulary: correctionVocabulary(ctx.config()),
      });
      ctx.log.info('group tags checked', {
        username: user.username,
        article: id,
        group: rows[0]!.group,
        fields: rows.map((r) => `${r.field}:${r.previous}→${r.value}`).join(' '),
        refresh_ms: Math.round(refresh.ms),
        weeks: refresh.weeks.join(','),
      });
    } catch (e) {
      if (!(e instanceof CorrectionError)) throw e;
      return badJudgement(ctx, req, reply, id, e);
    }
    return reply.redirect(`/articles/${id}?corrected=1`, 303);
  });

  app.get('/articles/:id/corrections', async (req, reply) => {
    const id = articleIdOf(req);
    const article = id === null ? undefined : (ctx.store.db.prepare('SELECT title FROM articles WHERE id = ?').get(id) as { title: string | null } | undefined);
    if (id === null || !article) return ctx.fail(req, reply, 404, COMMON[req.lang].notFound);
    const t = CORRECTION_TEXT[req.lang];
    return ctx.page(req, reply, {
      title: t.pageTitle(article.title ?? t.noTitle),
      active: 'articles',
      body: html`<p><a href="/articles/${id}">${t.backToArticle}</a></p>${correctionPanel(ctx, req, id)}`,
    });
  });

  app.get('/agreement', { preHandler: requireRole(ctx, 'analyst') }, async (req, reply) => {
    const t = CORRECTION_TEXT[req.lang];
    const q = req.query as Record<string, unknown>;
    const weeks: { from?: string; to?: string } = {};
    for (const name of ['from', 'to'] as const) {
      const raw = one(q[name]);
      if (raw === undefined || raw === '') continue;
      const w = typeof raw === 'string' ? parseWeek(raw) : null;
      if (!w) return ctx.fail(req, reply, 400, t.badWeek(name, String(raw)));
      weeks[name] = formatWeek(w);
    }
    if (weeks.from && weeks.to && compareWeeks(weeks.from, weeks.to) > 0) return ctx.fail(req, reply, 400, t.badRange);
    const report = machineAnalystAgreement(ctx.store, weeks);
    return ctx.page(req, reply, { title: t.agreementTitle, active: 'agreement', body: agreementBody(ctx, req, report) });
  });
}

function badJudgement(ctx: WebContext, req: FastifyRequest, reply: FastifyReply, id: number, e: CorrectionError): FastifyReply {
  if (e.status === 404) return ctx.fail(req, reply, 404, e.text[req.lang]);
  const t = CORRECTION_TEXT[req.lang];
  return ctx.page(req, reply, {
    title: String(e.status),
    status: e.status,
    body: html`<p class="error" role="alert">${e.text[req.lang]}</p><p><a href="/articles/${id}">${t.backToArticle}</a></p>`,
  });
}
