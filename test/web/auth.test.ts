// Who may do what: login with each role, sessions and API tokens, the CSRF check on every
// change, the login gate beyond loopback, and the password hashing underneath.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Accounts, hashPassword, verifyPassword } from '../../src/web/auth.ts';
import { isLoopbackHost } from '../../src/web/server.ts';
import { PASSWORD, USERS, startWebFixture, type WebFixture } from './harness.ts';

let fx: WebFixture;
beforeAll(async () => {
  fx = await startWebFixture();
}, 300_000);
afterAll(async () => fx?.close());

async function loginForm(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/login`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, csrf };
}

describe('passwords', () => {
  it('are scrypt hashes with their own salt, and only the right password verifies', async () => {
    const a = await hashPassword('oikea hevonen patteri');
    const b = await hashPassword('oikea hevonen patteri');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('oikea hevonen patteri', a)).toBe(true);
    expect(await verifyPassword('oikea hevonen patterI', a)).toBe(false);
  });

  it('refuses short passwords, bad names and duplicate users', async () => {
    const accounts = new Accounts(new Database(':memory:'));
    // the in-memory database has no schema: these fail before touching it
    await expect(accounts.addUser('x', 'viewer', PASSWORD)).rejects.toThrow(/2–64/);
    await expect(accounts.addUser('ville', 'viewer', 'lyhyt')).rejects.toThrow(/too short/);
    await expect(fx.ctx.accounts.addUser(USERS.analyst, 'viewer', PASSWORD)).rejects.toThrow(/exists already/);
  });
});

describe('logging in', () => {
  for (const role of ['viewer', 'analyst', 'operator'] as const) {
    it(`works for the ${role}, sets an HttpOnly SameSite session cookie, and the page shows who is in`, async () => {
      const { cookie, csrf } = await loginForm(fx.url);
      const res = await fetch(`${fx.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, username: USERS[role], password: PASSWORD, next: '/articles' }),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/articles');
      const session = res.headers.getSetCookie().find((c) => c.startsWith('mm_session='))!;
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
      const page = await (await fetch(`${fx.url}/login`, { headers: { cookie: session.split(';')[0]! } })).text();
      expect(page).toContain(`${USERS[role]} (`);
    });
  }

  it('a wrong password goes back to the form with a message, and sets no session', async () => {
    const { cookie, csrf } = await loginForm(fx.url);
    const res = await fetch(`${fx.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, username: USERS.analyst, password: 'väärä salasana' }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('failed=1');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('mm_session='))).toBe(false);
  });

  it('the login form itself needs its check cookie (no login CSRF), and never redirects off-site', async () => {
    const { csrf } = await loginForm(fx.url);
    const res = await fetch(`${fx.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, username: USERS.analyst, password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    const form = await loginForm(fx.url);
    const off = await fetch(`${fx.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      body: new URLSearchParams({ _csrf: form.csrf, username: USERS.analyst, password: PASSWORD, next: '//evil.example/' }),
    });
    expect(off.headers.get('location')).toBe('/');
  });

  it('logging out ends the session', async () => {
    const cookie = await fx.login('viewer');
    const csrf = fx.ctx.accounts.session(cookie.split('=')[1]!)!.csrf;
    const res = await fetch(`${fx.url}/logout`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(res.status).toBe(303);
    expect(fx.ctx.accounts.session(cookie.split('=')[1]!)).toBeNull();
  });

  it('a change without the CSRF token is refused, with it accepted', async () => {
    const cookie = await fx.login('viewer');
    const without = await fetch(`${fx.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    expect(without.status).toBe(403);
    expect(await without.text()).toMatch(/tarkiste/);
    expect(fx.ctx.accounts.session(cookie.split('=')[1]!)).not.toBeNull();
  });
});

describe('API tokens', () => {
  it('identify a script without cookies; a revoked or unknown token is anonymous', async () => {
    const t = fx.ctx.accounts.createToken(USERS.analyst, 'test');
    expect(fx.ctx.accounts.userForToken(t.token)?.username).toBe(USERS.analyst);
    const page = await (await fetch(`${fx.url}/login`, { headers: { authorization: `Bearer ${t.token}` } })).text();
    expect(page).toContain(`${USERS.analyst} (`);
    fx.ctx.accounts.revokeToken(t.id);
    expect(fx.ctx.accounts.userForToken(t.token)).toBeNull();
    expect(fx.ctx.accounts.userForToken('mm_nonsense')).toBeNull();
  });
});

describe('the login gate', () => {
  it('is on whenever the server listens beyond loopback', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.10')).toBe(false);
  });

  it('with login required, pages redirect to the login form and the API answers 401', async () => {
    const gated = await startWebFixture({ requireLogin: true });
    try {
      const page = await fetch(`${gated.url}/articles`, { redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/login?next=%2Farticles');
      const api = await fetch(`${gated.url}/api/v1/indicators`);
      expect(api.status).toBe(401);
      const cookie = await gated.login('viewer');
      expect((await fetch(`${gated.url}/`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    } finally {
      await gated.close();
    }
  }, 120_000);
});

describe('pages', () => {
  it('speak Finnish by default and English on request, remembered in a cookie', async () => {
    const fi = await fetch(`${fx.url}/login`);
    expect(await fi.text()).toContain('<html lang="fi">');
    const en = await fetch(`${fx.url}/login?lang=en`);
    expect(await en.text()).toContain('<html lang="en">');
    const cookie = en.headers.getSetCookie().find((c) => c.startsWith('mm_lang='))!.split(';')[0]!;
    expect(await (await fetch(`${fx.url}/login`, { headers: { cookie } })).text()).toContain('Log in');
  });

  it('carry a content security policy without inline scripts', async () => {
    const res = await fetch(`${fx.url}/login`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
