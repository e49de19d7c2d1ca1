// Errors of the JSON API: always `{error, status}`, and for a refused request `parameters`
// naming what to change, so a script's author sees which of a dozen filters was wrong.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { COMMON } from '../i18n.ts';
import type { WebContext } from '../server.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameters: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** "limit: must be <= 500" from fastify's validation result: the parameter first. */
function describeValidation(errors: AjvError[]): { message: string; parameters: string[] } {
  const parameters: string[] = [];
  const lines = errors.map((e) => {
    const name = e.keyword === 'required' ? String(e.params.missingProperty) : e.instancePath.split('/')[1] ?? '';
    if (name && !parameters.includes(name)) parameters.push(name);
    const allowed = e.params.allowedValues as unknown[] | undefined;
    const what = e.keyword === 'required' ? 'is required' : allowed ? `must be one of ${allowed.join(', ')}` : (e.message ?? 'is not valid');
    return name ? `${name}: ${what}` : what;
  });
  return { message: lines.join('\n'), parameters };
}

/** The error handler of every API route. */
export function apiErrorHandler(ctx: WebContext) {
  return (err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiError) {
      return reply.code(err.status).send({ error: err.message, status: err.status, ...(err.parameters.length ? { parameters: err.parameters } : {}) });
    }
    if (err.validation) {
      const { message, parameters } = describeValidation(err.validation as AjvError[]);
      return reply.code(400).send({ error: message, status: 400, parameters });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) ctx.log.error('request failed', { method: req.method, url: req.url, error: err.stack ?? err.message });
    return reply.code(status).send({ error: status === 500 ? COMMON[req.lang].serverError : err.message, status });
  };
}

/** Flags in a query string as people write them: ?originals, ?originals=1, ?originals=true. */
const FLAG_WORDS: Record<string, string> = { '': 'true', '1': 'true', '0': 'false' };

/**
 * preValidation: refuses parameters and body fields the route does not know (left alone, a
 * misspelt filter such as ?grup=roma would be dropped and the whole corpus returned as if
 * filtered), and reads 1, 0 and a bare name as true and false for boolean parameters. `lang`
 * is the dashboard's language switch and allowed everywhere.
 */
export function checkParameters(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  const schema = req.routeOptions.schema as { querystring?: { properties?: Record<string, { type?: unknown }> }; body?: { properties?: object } } | undefined;
  const check = (given: unknown, known: object | undefined, what: string): ApiError | null => {
    if (!given || typeof given !== 'object' || Array.isArray(given)) return null;
    const allowed = new Set([...Object.keys(known ?? {}), ...(what === 'parameter' ? ['lang'] : [])]);
    const unknown = Object.keys(given).filter((k) => !allowed.has(k));
    if (unknown.length === 0) return null;
    return new ApiError(400, `unknown ${what}${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${[...allowed].sort().join(', ')}`, unknown);
  };
  const query = req.query as Record<string, unknown> | undefined;
  for (const [name, p] of Object.entries(schema?.querystring?.properties ?? {})) {
    const v = query?.[name];
    if (p.type === 'boolean' && typeof v === 'string' && v in FLAG_WORDS) query![name] = FLAG_WORDS[v];
  }
  done(check(query, schema?.querystring?.properties, 'parameter') ?? (req.body !== undefined ? check(req.body, schema?.body?.properties, 'field') : null) ?? undefined);
}
