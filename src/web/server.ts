// The dashboard's web server: fastify on 127.0.0.1:8080 by default, server-rendered pages
// and a JSON API over the same store. Every route module gets one WebContext (the store, the
// accounts, the current config) and registers its routes; this file owns what every request
// shares: who is asking (session cookie or API token), the language, the CSRF check on every
// change, the login gate beyond loopback, security headers and error pages.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { configStamp, loadConfig, type AppConfig, type LoadConfigOptions } from '../config/load.ts';
import { ConfigError } from '../config/yamlFile.ts';
import type { Logger } from '../log/logger.ts';
import type { QueueSettings } from '../queue/connection.ts';
import { loadGroupLabels, type GroupLabels, type Lang } from '../report/i18n.ts';
import { Store } from '../store/store.ts';
import { Accounts, newCsrfToken, roleAtLeast, sameToken, type Role, type Viewer } from './auth.ts';
import { html, query, type Html } from './html.ts';
import { COMMON, isLang } from './i18n.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
export const SESSION_COOKIE = 'mm_session';
const LANG_COOKIE = 'mm_lang';
const LOGIN_CSRF_COOKIE = 'mm_login';
const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer;
    lang: Lang;
  }
}

export type QueueAccess = QueueSettings;

export interface WebOptions {
  config: AppConfig;
  /** How the config was loaded, so edits to its files are picked up by reloading it. */
  configOptions: LoadConfigOptions;
  log: Logger;
  host?: string;
  port?: number;
  /** Default: required whenever the server listens beyond loopback. */
  requireLogin?: boolean;
  /** Mark cookies Secure (behind a TLS-terminating proxy). */
  secureCookies?: boolean;
  /** The distributed mode's Redis: queue pages and Bull Board appear with it. */
  queue?: QueueAccess | null;
}

export interface PageOptions {
  title: string;
  /** Which navigation entry is current. */
  active?: string;
  body: Html;
  status?: number;
}

export interface WebContext {
  store: Store;
  accounts: Accounts;
  /** The current config: re-read when one of its files changed (an operator's feed edit). */
  config(): AppConfig;
  configOptions: LoadConfigOptions;
  log: Logger;
  labels: GroupLabels;
  requireLogin: boolean;
  queue: QueueAccess | null;
  /** Sends a whole page in the shared layout. */
  page(req: FastifyRequest, reply: FastifyReply, opts: PageOptions): FastifyReply;
  /** Sends an error as JSON under /api, as a page elsewhere. */
  fail(req: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply;
}

export type RouteModule = (app: FastifyInstance, ctx: WebContext) => void | Promise<void>;

/** Route modules, in the order their navigation entries appear. */
async function routeModules(): Promise<RouteModule[]> {
  const mods = await Promise.all([
    import('./routes/analyst.ts'),
    import('./routes/corrections.ts'),
    import('./routes/operator.ts'),
    import('./routes/api.ts'),
  ]);
  return mods.map((m) => m.registerRoutes);
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** preHandler: the request goes on only for this role or a higher one. */
export function requireRole(ctx: WebContext, role: Role) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (roleAtLeast(req.viewer.user?.role, role)) return;
    if (!req.viewer.user && !req.url.startsWith('/api/')) {
      return reply.redirect(`/login${query({ next: req.url })}`, 303);
    }
    return ctx.fail(req, reply, req.viewer.user ? 403 : 401, req.viewer.user ? COMMON[req.lang].forbidden : COMMON[req.lang].loginRequired);
  };
}

function configReloader(initial: AppConfig, options: LoadConfigOptions, log: Logger): () => AppConfig {
  let current = initial;
  let stamp = configStamp(initial);
  return () => {
    const now = configStamp(current);
    if (now === stamp) return current;
    stamp = now;
    try {
      current = loadConfig(options);
      stamp = configStamp(current);
    } catch (e) {
      // Keep serving the last good config; the operator page shows the error when saving.
      log.warn('config changed but does not load; keeping the previous one', { error: e instanceof ConfigError ? e.message : String(e) });
    }
    return current;
  };
}

export async function buildWebServer(opts: WebOptions): Promise<{ app: FastifyInstance; ctx: WebContext }> {
  const host = opts.host ?? DEFAULT_HOST;
  const requireLogin = opts.requireLogin ?? !isLoopbackHost(host);
  const store = new Store(opts.config.settings.store.path, { log: opts.log });
  store.syncConfig(opts.config);
  const accounts = new Accounts(store.db);
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 1_048_576 });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: Boolean(opts.secureCookies) };

  const ctx: WebContext = {
    store,
    accounts,
    config: configReloader(opts.config, opts.configOptions, opts.log),
    configOptions: opts.configOptions,
    log: opts.log,
    labels: loadGroupLabels(opts.config.dir),
    requireLogin,
    queue: opts.queue ?? null,
    page(req, reply, p) {
      return reply
        .code(p.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(layout(req, ctx, p).value);
    },
    fail(req, reply, status, message) {
      if (req.url.startsWith('/api/')) return reply.code(status).send({ error: message, status });
      return ctx.page(req, reply, { title: String(status), status, body: html`<p class="error" role="alert">${message}</p>` });
    },
  };

  app.decorateRequest('viewer', null as unknown as Viewer);
  app.decorateRequest('lang', 'fi' as Lang);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!req.url.startsWith('/queues/board')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    }
    const asked = (req.query as Record<string, unknown> | undefined)?.lang;
    if (isLang(asked)) {
      req.lang = asked;
      if (req.cookies[LANG_COOKIE] !== asked) reply.setCookie(LANG_COOKIE, asked, { ...cookieOptions, maxAge: 365 * 86_400 });
    } else {
      req.lang = isLang(req.cookies[LANG_COOKIE]) ? (req.cookies[LANG_COOKIE] as Lang) : 'fi';
    }
    req.viewer = identify(req, accounts);
    if (requireLogin && !req.viewer.user && !isPublic(req.url)) {
      if (req.url.startsWith('/api/')) return reply.code(401).send({ error: COMMON[req.lang].loginRequired, status: 401 });
      return reply.redirect(`/login${query({ next: req.url })}`, 303);
    }
  });

  // Every change made with a session cookie must carry the session's CSRF token (form field
  // _csrf or header x-csrf-token). Token-authenticated scripts carry no ambient credential.
  app.addHook('preHandler', async (req, reply) => {
    if (!isChange(req.method) || req.url === '/login') return;
    if (req.viewer.via === 'token') return;
    const sent = (req.headers['x-csrf-token'] as string | undefined) ?? ((req.body as Record<string, unknown> | undefined)?._csrf as string | undefined);
    if (req.viewer.via === 'session' && sameToken(sent, req.viewer.csrf)) return;
    return ctx.fail(req, reply, 403, COMMON[req.lang].csrfFailed);
  });

  app.get('/static/:file', async (req, reply) => {
    const file = (req.params as { file: string }).file;
    if (!/^[a-z0-9-]+\.(css|js|svg)$/.test(file)) return ctx.fail(req, reply, 404, COMMON[req.lang].notFound);
    try {
      const body = readFileSync(join(STATIC_DIR, file));
      const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'image/svg+xml';
      return reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
    } catch {
      return ctx.fail(req, reply, 404, COMMON[req.lang].notFound);
    }
  });

  app.get('/login', async (req, reply) => {
    const t = COMMON[req.lang];
    const check = newCsrfToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, check, { ...cookieOptions, sameSite: 'strict', maxAge: 3600 });
    const next = safeNext((req.query as { next?: string }).next);
    const failed = (req.query as { failed?: string }).failed === '1';
    return ctx.page(req, reply, {
      title: t.login,
      body: html`<form method="post" action="/login" class="login">
        ${failed ? html`<p class="error" role="alert">${t.loginFailed}</p>` : ''}
        <input type="hidden" name="_csrf" value="${check}">
        <input type="hidden" name="next" value="${next}">
        <label>${t.username} <input name="username" autocomplete="username" required autofocus></label>
        <label>${t.password} <input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">${t.login}</button>
      </form>`,
    });
  });

  app.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (!sameToken(body._csrf, req.cookies[LOGIN_CSRF_COOKIE])) return ctx.fail(req, reply, 403, COMMON[req.lang].csrfFailed);
    const next = safeNext(body.next);
    const user = await accounts.login(String(body.username ?? ''), String(body.password ?? ''));
    if (!user) {
      ctx.log.warn('failed login', { username: String(body.username ?? '').slice(0, 64), ip: req.ip });
      return reply.redirect(`/login${query({ next, failed: '1' })}`, 303);
    }
    const s = accounts.createSession(user.id);
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    reply.setCookie(SESSION_COOKIE, s.token, { ...cookieOptions, expires: new Date(s.expiresAt) });
    ctx.log.info('login', { username: user.username, role: user.role });
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) accounts.endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  for (const register of await routeModules()) await register(app, ctx);

  app.setNotFoundHandler((req, reply) => ctx.fail(req, reply, 404, COMMON[req.lang].notFound));
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) ctx.log.error('request failed', { method: req.method, url: req.url, error: err.stack ?? err.message });
    return ctx.fail(req, reply, status, status === 500 ? COMMON[req.lang].serverError : err.message);
  });
  app.addHook('onClose', async () => store.close());
  return { app, ctx };
}

/** Builds the server and listens; resolves with its address once it accepts connections. */
export async function startWebServer(opts: WebOptions): Promise<{ url: string; app: FastifyInstance; ctx: WebContext; close: () => Promise<void> }> {
  const { app, ctx } = await buildWebServer(opts);
  const host = opts.host ?? DEFAULT_HOST;
  await app.listen({ host, port: opts.port ?? DEFAULT_PORT });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port ?? DEFAULT_PORT;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (ctx.requireLogin && !ctx.accounts.hasUsers()) {
    opts.log.warn('login is required but the store has no users: add one with `mediamittari users add <name> --role operator`');
  }
  return { url, app, ctx, close: () => app.close() };
}

function identify(req: FastifyRequest, accounts: Accounts): Viewer {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const user = accounts.userForToken(auth.slice(7).trim());
    return user ? { user, via: 'token', csrf: null } : { user: null, via: 'anonymous', csrf: null };
  }
  const token = req.cookies[SESSION_COOKIE];
  if (token) {
    const s = accounts.session(token);
    if (s) return { user: s.user, via: 'session', csrf: s.csrf };
  }
  return { user: null, via: 'anonymous', csrf: null };
}

const isChange = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

function isPublic(url: string): boolean {
  return url === '/login' || url.startsWith('/login?') || url.startsWith('/static/') || url === '/api/openapi.json' || url === '/api/docs' || url.startsWith('/api/docs?');
}

/** Only local paths: a login form must not redirect to another site. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

interface NavEntry {
  id: string;
  href: string;
  label: string;
  role: Role | null;
}

function layout(req: FastifyRequest, ctx: WebContext, p: PageOptions): Html {
  const t = COMMON[req.lang];
  const user = req.viewer.user;
  const nav: NavEntry[] = [
    { id: 'overview', href: '/', label: t.overview, role: null },
    { id: 'articles', href: '/articles', label: t.articles, role: null },
    { id: 'weekly', href: '/weekly', label: t.weekly, role: null },
    { id: 'agreement', href: '/agreement', label: t.agreement, role: 'analyst' },
    { id: 'feeds', href: '/feeds', label: t.feeds, role: 'operator' },
    ...(ctx.queue ? [{ id: 'queues', href: '/queues', label: t.queues, role: 'operator' as Role }] : []),
  ];
  const other: Lang = req.lang === 'fi' ? 'en' : 'fi';
  const path = req.url.split('?')[0]!;
  const params = new URLSearchParams(req.url.split('?')[1] ?? '');
  params.set('lang', other);
  return html`<!doctype html>
<html lang="${req.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} – ${t.appName}</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<header class="top">
  <a class="brand" href="/">${t.appName}</a>
  <nav aria-label="${t.appName}">
    ${nav
      .filter((n) => n.role === null || roleAtLeast(user?.role, n.role))
      .map((n) => html`<a href="${n.href}"${n.id === p.active ? html` aria-current="page"` : ''}>${n.label}</a>`)}
  </nav>
  <div class="who">
    <a href="${path}?${params.toString()}" hreflang="${other}" lang="${other}" class="lang">${t.language}</a>
    ${user
      ? html`<span class="user">${t.loggedInAs(user.username, t.roles[user.role] ?? user.role)}</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${req.viewer.csrf ?? ''}"><button type="submit" class="link">${t.logout}</button></form>`
      : html`<span class="user">${t.anonymous}</span> <a href="/login${query({ next: req.url.startsWith('/login') ? undefined : req.url })}">${t.login}</a>`}
  </div>
</header>
<main id="main">
<h1>${p.title}</h1>
${p.body}
</main>
</body>
</html>`;
}

/** The hidden form field every changing form carries. */
export function csrfField(req: FastifyRequest): Html {
  return html`<input type="hidden" name="_csrf" value="${req.viewer.csrf ?? ''}">`;
}
