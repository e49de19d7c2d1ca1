// The analyst pages: the overview of all municipalities, a municipality week by week, the
// weekly summary, the article browser with search, and one article with its evidence.
import type { FastifyInstance } from 'fastify';
import { articlePage } from '../analyst/article.ts';
import { articlesPage } from '../analyst/articles.ts';
import { municipalityPage } from '../analyst/municipality.ts';
import { overviewPage } from '../analyst/overview.ts';
import { ANALYST_TEXT } from '../analyst/strings.ts';
import { weeklyPage } from '../analyst/weekly.ts';
import type { WebContext } from '../server.ts';

export function registerRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/', async (req, reply) => {
    const p = overviewPage(ctx, req);
    return ctx.page(req, reply, { ...p, active: 'overview' });
  });

  app.get('/m/:code', async (req, reply) => {
    const p = municipalityPage(ctx, req, String((req.params as { code: string }).code));
    return ctx.page(req, reply, { ...p, active: 'overview' });
  });

  app.get('/weekly', async (req, reply) => {
    const p = weeklyPage(ctx, req);
    return ctx.page(req, reply, { ...p, active: 'weekly' });
  });

  app.get('/articles', async (req, reply) => {
    const p = articlesPage(ctx, req);
    return ctx.page(req, reply, { ...p, active: 'articles' });
  });

  app.get('/articles/:id', async (req, reply) => {
    const raw = String((req.params as { id: string }).id);
    const p = /^\d{1,15}$/.test(raw) ? articlePage(ctx, req, Number(raw)) : null;
    if (!p) return ctx.fail(req, reply, 404, ANALYST_TEXT[req.lang].notFound);
    return ctx.page(req, reply, { ...p, active: 'articles' });
  });
}
