// Users, roles, sessions and API tokens. Passwords are scrypt-hashed with a per-user salt;
// session cookies and API tokens are random and only their SHA-256 is stored, so a copy of
// the store logs nobody in. Roles are ordered: an operator may do what an analyst may, an
// analyst what a viewer may.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type Database from 'better-sqlite3';

export const ROLES = ['viewer', 'analyst', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: number;
  disabled: boolean;
}

/** Who is asking: a logged-in user, a script with a token, or nobody (loopback read-only). */
export interface Viewer {
  user: User | null;
  via: 'session' | 'token' | 'anonymous';
  /** The session's CSRF token (sessions only). */
  csrf: string | null;
}

export const SESSION_TTL_MS = 12 * 3_600_000;
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
export const MIN_PASSWORD_LENGTH = 10;

export class AuthError extends Error {}

export function roleAtLeast(role: Role | null | undefined, wanted: Role): boolean {
  return role ? ROLES.indexOf(role) >= ROLES.indexOf(wanted) : false;
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

function scrypt(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keyLength, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  created_at: number;
  disabled: number;
}

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, role: r.role, createdAt: r.created_at, disabled: r.disabled === 1 });

/** The users, sessions and tokens of one store. */
export class Accounts {
  constructor(private readonly db: Database.Database) {}

  async addUser(username: string, role: Role, password: string, now = Date.now()): Promise<User> {
    const name = username.trim();
    if (!/^[\p{L}\p{N}._@-]{2,64}$/u.test(name)) throw new AuthError(`user name "${username}": use 2–64 letters, digits or . _ @ -`);
    if (!isRole(role)) throw new AuthError(`role "${role}": expected one of ${ROLES.join(', ')}`);
    if (password.length < MIN_PASSWORD_LENGTH) throw new AuthError(`the password is too short: at least ${MIN_PASSWORD_LENGTH} characters`);
    if (this.userByName(name)) throw new AuthError(`user "${name}" exists already (change the password with users passwd)`);
    const hash = await hashPassword(password);
    const id = Number(this.db.prepare('INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, hash, now).lastInsertRowid);
    return this.user(id)!;
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new AuthError(`the password is too short: at least ${MIN_PASSWORD_LENGTH} characters`);
    const u = this.userByName(username);
    if (!u) throw new AuthError(`no user "${username}"`);
    const hash = await hashPassword(password);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, u.id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(u.id);
    })();
  }

  setRole(username: string, role: Role): void {
    if (!isRole(role)) throw new AuthError(`role "${role}": expected one of ${ROLES.join(', ')}`);
    const u = this.userByName(username);
    if (!u) throw new AuthError(`no user "${username}"`);
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, u.id);
  }

  /** Disables rather than deletes: the user's corrections keep their author. */
  disableUser(username: string): void {
    const u = this.userByName(username);
    if (!u) throw new AuthError(`no user "${username}"`);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(u.id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(u.id);
      this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(Date.now(), u.id);
    })();
  }

  users(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  user(id: number): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  userByName(username: string): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username.trim()) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  hasUsers(): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE disabled = 0 LIMIT 1').get() !== undefined;
  }

  /** The user when name and password match an enabled account; the same null otherwise. */
  async login(username: string, password: string): Promise<User | null> {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username.trim()) as UserRow | undefined;
    // Hash even for an unknown name, so response time does not tell which names exist.
    const ok = await verifyPassword(password, r?.password_hash ?? DUMMY_HASH);
    return r && ok && r.disabled === 0 ? toUser(r) : null;
  }

  createSession(userId: number, now = Date.now()): { token: string; csrf: string; expiresAt: number } {
    const token = randomToken();
    const csrf = randomToken(24);
    const expiresAt = now + SESSION_TTL_MS;
    this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now);
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(sha256(token), userId, csrf, now, expiresAt);
    return { token, csrf, expiresAt };
  }

  session(token: string, now = Date.now()): { user: User; csrf: string } | null {
    const r = this.db
      .prepare('SELECT s.csrf, s.expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?')
      .get(sha256(token)) as (UserRow & { csrf: string; expires_at: number }) | undefined;
    if (!r || r.expires_at < now || r.disabled === 1) return null;
    return { user: toUser(r), csrf: r.csrf };
  }

  endSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
  }

  /** A new API token for scripts; the token itself is shown once and never stored. */
  createToken(username: string, name: string, now = Date.now()): { id: number; token: string } {
    const u = this.userByName(username);
    if (!u) throw new AuthError(`no user "${username}"`);
    const token = `mm_${randomToken()}`;
    const id = Number(this.db.prepare('INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)').run(u.id, name, sha256(token), now).lastInsertRowid);
    return { id, token };
  }

  revokeToken(id: number, now = Date.now()): boolean {
    return this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  tokens(): { id: number; username: string; name: string; createdAt: number; lastUsedAt: number | null; revoked: boolean }[] {
    return (this.db.prepare('SELECT t.id, u.username, t.name, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id').all() as {
      id: number; username: string; name: string; created_at: number; last_used_at: number | null; revoked_at: number | null;
    }[]).map((r) => ({ id: r.id, username: r.username, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revoked: r.revoked_at !== null }));
  }

  userForToken(token: string, now = Date.now()): User | null {
    const r = this.db
      .prepare('SELECT t.id token_id, t.last_used_at, u.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL')
      .get(sha256(token)) as (UserRow & { token_id: number; last_used_at: number | null }) | undefined;
    if (!r || r.disabled === 1) return null;
    // Recording every use would make every API read a write; once a minute is enough to see use.
    if (r.last_used_at === null || now - r.last_used_at > 60_000) this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, r.token_id);
    return toUser(r);
  }
}

// A valid hash of a random password, checked against when the user name is unknown.
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;

/** Constant-time comparison of two tokens (CSRF). */
export function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newCsrfToken(): string {
  return randomToken(24);
}
