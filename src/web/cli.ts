// `mediamittari serve` (the dashboard alone) and `mediamittari users …` (accounts and API
// tokens). `run --web` starts the same server beside the monitor. Exit codes: 0 done,
// 2 a request that cannot work as given, 3 could not run (port taken, store unreadable).
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AppConfig, LoadConfigOptions } from '../config/load.ts';
import type { Logger } from '../log/logger.ts';

const EXIT = { ok: 0, usage: 2, fatal: 3 } as const;

export interface WebCommandEnv {
  load(): AppConfig;
  configOptions(): LoadConfigOptions;
  logger(beforeWrite?: () => void): Logger;
  setExit(code: number): void;
}

export interface ServeFlags {
  host?: string;
  port?: string;
  requireLogin?: boolean;
  secureCookies?: boolean;
  redis?: string;
  prefix?: string;
}

export function serveOptions(cmd: Command): Command {
  return cmd
    .option('--host <address>', 'address to listen on; beyond loopback, login is required', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--require-login', 'require login even on loopback (anonymous visitors may only look otherwise)')
    .option('--secure-cookies', 'mark cookies Secure (behind a TLS-terminating proxy)');
}

/** Starts the dashboard; resolves with a stop function once it listens. */
export async function startDashboard(env: WebCommandEnv, config: AppConfig, log: Logger, flags: ServeFlags): Promise<{ url: string; close: () => Promise<void> }> {
  const port = Number(flags.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new WebUsageError(`--port ${flags.port}: expected a port number 0–65535`);
  const { settingsFrom } = await import('../queue/commands.ts');
  const queue = await settingsFrom({ redis: flags.redis, prefix: flags.prefix });
  const { startWebServer } = await import('./server.ts');
  try {
    const s = await startWebServer({
      config, configOptions: env.configOptions(), log, host: flags.host, port,
      requireLogin: flags.requireLogin ? true : undefined, secureCookies: flags.secureCookies, queue,
    });
    log.info(`dashboard at ${s.url}/`, { login_required: s.ctx.requireLogin, queues: queue ? 'redis' : undefined });
    return { url: s.url, close: s.close };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new WebFatalError(`port ${port} on ${flags.host ?? '127.0.0.1'} is taken: stop the other server or choose --port`);
    if (code === 'EADDRNOTAVAIL') throw new WebFatalError(`--host ${flags.host}: this machine has no such address`);
    throw e;
  }
}

export class WebUsageError extends Error {}
export class WebFatalError extends Error {}

async function guarded(env: WebCommandEnv, name: string, body: () => Promise<number>): Promise<void> {
  try {
    env.setExit(await body());
  } catch (e) {
    const { AuthError } = await import('./auth.ts');
    if (e instanceof WebUsageError || e instanceof AuthError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      env.setExit(EXIT.usage);
    } else if (e instanceof WebFatalError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      env.setExit(EXIT.fatal);
    } else {
      throw e;
    }
  }
}

/** The password from stdin (scripts: --password-stdin) or asked without echo in a terminal. */
async function readPassword(fromStdin: boolean | undefined, prompt: string): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += chunk;
    return data.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(q);
      out._writeToOutput = () => {};
      rl.question('', (a) => {
        process.stderr.write('\n');
        resolve(a);
      });
    });
  try {
    const a = await ask(prompt);
    const b = await ask('again: ');
    if (a !== b) throw new WebUsageError('the two passwords differ');
    return a;
  } finally {
    rl.close();
  }
}

async function withAccounts<T>(env: WebCommandEnv, body: (a: import('./auth.ts').Accounts) => Promise<T> | T): Promise<T> {
  const config = env.load();
  const { Store } = await import('../store/store.ts');
  const { Accounts } = await import('./auth.ts');
  const store = new Store(config.settings.store.path);
  try {
    return await body(new Accounts(store.db));
  } finally {
    store.close();
  }
}

const print = (line: string) => process.stdout.write(line + '\n');
const when = (ts: number | null) => (ts === null ? '—' : new Date(ts).toISOString().slice(0, 16).replace('T', ' '));

export function registerWebCommands(program: Command, env: WebCommandEnv): void {
  const serve = program
    .command('serve')
    .description('the dashboard alone (analyst and operator pages, JSON API) on 127.0.0.1:8080; `run --web` starts it beside the monitor');
  serveOptions(serve)
    .option('--redis <url>', 'distributed mode: show queue status and Bull Board for this Redis (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'key prefix in Redis (default: $MEDIAMITTARI_REDIS_PREFIX or mm)')
    .action((flags: ServeFlags) =>
      guarded(env, 'serve', async () => {
        const config = env.load();
        const log = env.logger();
        const s = await startDashboard(env, config, log, flags);
        await new Promise<void>((resolve) => {
          const stop = (sig: string) => {
            log.info(`${sig}: closing the dashboard`);
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await s.close();
        return EXIT.ok;
      }),
    );

  const users = program.command('users').description('dashboard accounts (roles viewer, analyst, operator) and API tokens for scripts');
  users
    .command('add <username>')
    .description('add a user; the password is asked (or read from stdin with --password-stdin)')
    .requiredOption('--role <role>', 'viewer (looks), analyst (also corrects tags), operator (also edits feeds)')
    .option('--password-stdin', 'read the password from stdin')
    .action((username: string, opts: { role: string; passwordStdin?: boolean }) =>
      guarded(env, 'users add', async () => {
        const { isRole, ROLES } = await import('./auth.ts');
        if (!isRole(opts.role)) throw new WebUsageError(`--role ${opts.role}: expected one of ${ROLES.join(', ')}`);
        const password = await readPassword(opts.passwordStdin, `password for ${username}: `);
        const u = await withAccounts(env, (a) => a.addUser(username, opts.role as 'viewer', password));
        print(`added ${u.username} (${u.role})`);
        return EXIT.ok;
      }),
    );
  users
    .command('list')
    .description('the users, their roles, and API tokens')
    .option('--json', 'one JSON object per line')
    .action((opts: { json?: boolean }) =>
      guarded(env, 'users list', () =>
        withAccounts(env, (a) => {
          const tokens = a.tokens();
          if (opts.json) {
            for (const u of a.users()) print(JSON.stringify({ ...u, tokens: tokens.filter((t) => t.username === u.username) }));
            return EXIT.ok;
          }
          for (const u of a.users()) print(`${u.username.padEnd(20)} ${u.role.padEnd(9)} ${u.disabled ? 'disabled' : 'active  '} since ${when(u.createdAt)}`);
          for (const t of tokens) print(`  token #${t.id} ${t.username}: ${t.name} — ${t.revoked ? 'revoked' : `last used ${when(t.lastUsedAt)}`}`);
          return EXIT.ok;
        }),
      ),
    );
  users
    .command('passwd <username>')
    .description('set a new password (ends the user’s sessions)')
    .option('--password-stdin', 'read the password from stdin')
    .action((username: string, opts: { passwordStdin?: boolean }) =>
      guarded(env, 'users passwd', async () => {
        const password = await readPassword(opts.passwordStdin, `new password for ${username}: `);
        await withAccounts(env, (a) => a.setPassword(username, password));
        print(`password of ${username} changed`);
        return EXIT.ok;
      }),
    );
  users
    .command('role <username> <role>')
    .description('change a user’s role')
    .action((username: string, role: string) =>
      guarded(env, 'users role', async () => {
        const { isRole, ROLES } = await import('./auth.ts');
        if (!isRole(role)) throw new WebUsageError(`role ${role}: expected one of ${ROLES.join(', ')}`);
        await withAccounts(env, (a) => a.setRole(username, role));
        print(`${username} is now ${role}`);
        return EXIT.ok;
      }),
    );
  users
    .command('disable <username>')
    .description('disable a user: sessions end, tokens are revoked, corrections keep their author')
    .action((username: string) =>
      guarded(env, 'users disable', async () => {
        await withAccounts(env, (a) => a.disableUser(username));
        print(`${username} disabled`);
        return EXIT.ok;
      }),
    );
  users
    .command('token <username>')
    .description('create an API token for scripts (sent as "Authorization: Bearer <token>"); it is shown once')
    .option('--name <name>', 'what the token is for', 'script')
    .action((username: string, opts: { name: string }) =>
      guarded(env, 'users token', async () => {
        const t = await withAccounts(env, (a) => a.createToken(username, opts.name));
        print(t.token);
        process.stderr.write(`token #${t.id} for ${username}; keep it secret — it is not shown again (revoke: mediamittari users revoke ${t.id})\n`);
        return EXIT.ok;
      }),
    );
  users
    .command('revoke <token-id>')
    .description('revoke an API token by its number (see users list)')
    .action((id: string) =>
      guarded(env, 'users revoke', async () => {
        const ok = await withAccounts(env, (a) => a.revokeToken(Number(id)));
        if (!ok) throw new WebUsageError(`no active token #${id}`);
        print(`token #${id} revoked`);
        return EXIT.ok;
      }),
    );
}
