// The distributed mode's queues on the dashboard: the overview `mediamittari jobs status`
// prints (depths, rates, failed jobs with reasons, workers alive) with buttons to retry
// failed jobs, and Bull Board over the four stage queues for a job-by-job look.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StageName } from '../../pipeline/stages.ts';
import type { QueueSettings } from '../../queue/connection.ts';
import { formatInstant } from '../../report/i18n.ts';
import { html, safeHref, type Html } from '../html.ts';
import { csrfField, requireRole, type WebContext } from '../server.ts';
import { operatorStrings, type OperatorStrings } from './strings.ts';

export const BOARD_PATH = '/queues/board';
const FAILED_SHOWN = 50;

function age(seconds: number, t: OperatorStrings): string {
  if (seconds < 120) return t.seconds(seconds);
  if (seconds < 7_200) return t.minutes(Math.round(seconds / 60));
  return t.hours((seconds / 3_600).toFixed(1));
}

async function queuesPage(ctx: WebContext, settings: QueueSettings, req: FastifyRequest, reply: FastifyReply) {
  const t = operatorStrings(req.lang);
  const { queueOverview } = await import('../../queue/operate.ts');
  const retried = Number((req.query as { retried?: string }).retried);
  const flash = Number.isFinite(retried) && (req.query as { retried?: string }).retried !== undefined ? html`<p class="ok" role="status">${t.retried(retried)}</p>` : '';
  let o;
  try {
    o = await queueOverview(settings, { failedLimit: FAILED_SHOWN });
  } catch (e) {
    return ctx.page(req, reply, {
      title: t.queuesTitle,
      active: 'queues',
      status: 503,
      body: html`<p class="error" role="alert">${t.queuesUnavailable} ${(e as Error).message}</p>`,
    });
  }
  const retryForm = (stage: StageName | null, label: string) =>
    html`<form method="post" action="/queues/retry" class="inline">${csrfField(req)}${stage ? html`<input type="hidden" name="stage" value="${stage}">` : ''}<button type="submit">${label}</button></form>`;
  const totalFailed = o.stages.reduce((a, s) => a + s.failed, 0);
  const body = html`${flash}
<p class="muted">${t.queuesIntro(o.redis, o.prefix, o.schedulers)} <a href="${BOARD_PATH}/">${t.board}</a></p>
<table class="queues">
<thead><tr><th>${t.stage}</th><th class="num">${t.waiting}</th><th class="num">${t.active}</th><th class="num">${t.delayed}</th><th class="num">${t.failed}</th><th class="num">${t.completed}</th><th class="num">${t.perMinute}</th><th class="num">${t.failedPerMinute}</th><th class="num">${t.workers}</th><th></th></tr></thead>
<tbody>${o.stages.map(
    (s) => html`<tr data-stage="${s.stage}"><th scope="row">${s.stage} <span class="muted">${t.stages[s.stage] ?? ''}</span></th>
<td class="num" data-col="waiting">${s.waiting}</td><td class="num" data-col="active">${s.active}</td><td class="num" data-col="delayed">${s.delayed}</td>
<td class="num" data-col="failed">${s.failed}</td><td class="num" data-col="completed">${s.completed}</td>
<td class="num">${s.perMinute.toFixed(1)}</td><td class="num">${s.failedPerMinute.toFixed(1)}</td><td class="num">${s.workers}</td>
<td>${s.failed > 0 ? retryForm(s.stage, t.retry) : ''}</td></tr>`,
  )}</tbody>
</table>
<h2>${o.workers.length > 0 ? t.workersAlive(o.workers.length) : t.noWorkers}</h2>
${o.workers.length > 0
  ? html`<table class="workers"><thead><tr><th>${t.worker}</th><th>${t.workerStages}</th><th>${t.address}</th><th>${t.up}</th></tr></thead>
<tbody>${o.workers.map((w) => html`<tr><td>${w.name}</td><td>${w.stages.join(', ')}</td><td>${w.addr}</td><td>${age(w.age, t)}</td></tr>`)}</tbody></table>`
  : ''}
<h2>${t.failedJobs}</h2>
${o.failed.length === 0
  ? html`<p>${t.noFailed}</p>`
  : html`<p>${retryForm(null, t.retryAll)} <span class="muted">(${totalFailed})</span></p>
<table class="failed-jobs"><thead><tr><th>${t.stage}</th><th>${t.job}</th><th>${t.reason}</th><th class="num">${t.attempts}</th><th>${t.failedAt}</th></tr></thead>
<tbody>${o.failed.map(
      (f) => html`<tr><td>${f.stage}</td><td><a href="${BOARD_PATH}/queue/${encodeURIComponent(f.stage)}/${encodeURIComponent(f.id)}">${f.id}</a>${
        f.url ? html`<br><a href="${safeHref(f.url)}" rel="noopener noreferrer" class="feed-url">${f.url}</a>` : f.feed ? html`<br><span class="muted">${f.feed}</span>` : ''
      }</td><td class="reason">${f.reason}</td><td class="num">${f.attempts}</td><td>${f.failedAt ? formatInstant(Date.parse(f.failedAt), req.lang) : ''}</td></tr>`,
    )}</tbody></table>`}`;
  return ctx.page(req, reply, { title: t.queuesTitle, active: 'queues', body });
}

/** /queues and POST /queues/retry, inside the operator-only scope. */
export function registerQueuePages(scope: FastifyInstance, ctx: WebContext, settings: QueueSettings): void {
  scope.get('/queues', (req, reply) => queuesPage(ctx, settings, req, reply));

  scope.post('/queues/retry', async (req, reply) => {
    const { isStageName } = await import('../../queue/topology.ts');
    const { retryFailed } = await import('../../queue/operate.ts');
    const stage = String((req.body as Record<string, unknown> | undefined)?.stage ?? '');
    if (stage !== '' && !isStageName(stage)) return ctx.fail(req, reply, 400, `unknown stage "${stage}"`);
    const out = await retryFailed(settings, stage ? [stage] : undefined);
    const total = Object.values(out).reduce((a, b) => a + (b ?? 0), 0);
    ctx.log.info('failed jobs retried from the dashboard', { by: req.viewer.user?.username, stage: stage || 'all', jobs: total });
    return reply.redirect(`/queues?retried=${total}`, 303);
  });
}

// Bull Board's own page: its script and styles are files it serves itself; the Google Fonts
// stylesheet its page links to is refused, so the board works offline and tells nobody else
// that it was opened. The inline styles of its loading screen need 'unsafe-inline' styles.
const BOARD_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

/**
 * Bull Board at /queues/board for operators. Its actions (retry, clean, promote) are PUT
 * requests sent by its own client, which repeats the XSRF-TOKEN cookie in an X-XSRF-TOKEN
 * header: the cookie carries the session's CSRF token, so those requests pass the same check
 * as every form.
 */
export async function mountBullBoard(app: FastifyInstance, ctx: WebContext, settings: QueueSettings): Promise<void> {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }, { Queue }, { openRedis }, { PIPELINE, queueName }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
    import('bullmq'),
    import('../../queue/connection.ts'),
    import('../../queue/topology.ts'),
  ]);
  const redis = openRedis(settings, 'web');
  // The board reports an unreachable Redis itself; without a listener ioredis would throw.
  redis.on('error', (e: Error) => ctx.log.debug('board: redis', { error: e.message }));
  const queues = PIPELINE.map((stage) => new Queue(queueName(stage), { connection: redis, prefix: settings.prefix }));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Mediamittari',
        hideDocsLink: true,
        favIcon: { default: 'static/images/logo.svg', alternative: 'static/favicon-32x32.png' },
        miscLinks: [{ text: 'Mediamittari', url: '/queues' }],
      },
    },
  });
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      reply.header('content-security-policy', BOARD_CSP);
      const xsrf = req.headers['x-xsrf-token'];
      if (typeof xsrf === 'string' && req.headers['x-csrf-token'] === undefined) req.headers['x-csrf-token'] = xsrf;
    });
    scope.addHook('preHandler', requireRole(ctx, 'operator'));
    scope.addHook('preHandler', async (req, reply) => {
      if (req.viewer.via === 'session' && req.viewer.csrf && req.cookies['XSRF-TOKEN'] !== req.viewer.csrf) {
        reply.setCookie('XSRF-TOKEN', req.viewer.csrf, { path: BOARD_PATH, sameSite: 'strict', httpOnly: false, secure: req.protocol === 'https' });
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
  });
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    redis.disconnect();
  });
}
