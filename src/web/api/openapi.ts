// The OpenAPI 3.1 document of the JSON API, generated from the routes as fastify registers
// them: each route's `schema` (query string, path parameters, body, responses) is what fastify
// validates and serialises with, and what the document says. A route cannot be added or
// changed without the document following.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { componentName, type Schema } from './schemas.ts';

/** What a route's schema may carry beyond fastify's own keys: the operation's documentation. */
export interface OperationDoc {
  summary: string;
  description?: string;
  tags: string[];
  operationId: string;
  /** Alternatives, as in OpenAPI; `{}` means no credentials are needed. */
  security: Record<string, string[]>[];
  'x-required-role'?: 'viewer' | 'analyst' | 'operator';
}

export type RouteSchema = OperationDoc & {
  querystring?: Schema;
  params?: Schema;
  body?: Schema;
  response: Record<string, Schema>;
};

const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  400: 'A parameter or body field is wrong; `parameters` names it.',
  401: 'No valid session or token, on a server that requires login (or for an operation that needs a user).',
  403: 'The user’s role does not allow this, or a session request lacks its x-csrf-token header.',
  404: 'No such article.',
  429: 'Too many exports are running; try again shortly (see Retry-After).',
};

export const SECURITY_SCHEMES = {
  bearerToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token for scripts, made with `mediamittari users token <username>` and sent as `Authorization: Bearer mm_…`. It acts with its user’s role.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'mm_session',
    description: 'The dashboard’s login session (from POST /login).',
  },
  csrfHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description: 'With a session cookie, every change must carry the session’s CSRF token (it is in every dashboard form as _csrf). Token requests do not need it.',
  },
} as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Json>; securitySchemes: typeof SECURITY_SCHEMES };
  tags: { name: string; description: string }[];
}

/**
 * Collects the operations of every route under `prefix` registered after it is called,
 * converted to OpenAPI as they are registered (fastify may later normalise the schema objects).
 */
export class ApiDocument {
  private readonly operations = new Map<string, Record<string, Record<string, unknown>>>();
  private readonly schemas: Record<string, Json> = {};
  private cached: OpenApiDocument | null = null;

  constructor(
    app: FastifyInstance,
    private readonly info: { title: string; version: string; description: string },
    private readonly tags: { name: string; description: string }[],
    private readonly prefix = '/api/',
  ) {
    app.addHook('onRoute', (route) => this.add(route));
  }

  private add(route: RouteOptions): void {
    if (!route.url.startsWith(this.prefix) || route.method === 'HEAD') return;
    const schema = route.schema as RouteSchema | undefined;
    if (!schema?.operationId) return;
    const path = route.url.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let ops = this.operations.get(path);
    if (!ops) this.operations.set(path, (ops = {}));
    for (const m of methods) ops[m.toLowerCase()] = this.operation(schema);
    this.cached = null;
  }

  /** Replaces shared schemas by references to components, registering each once. */
  private ref(schema: unknown): Json {
    if (Array.isArray(schema)) return schema.map((s) => this.ref(s));
    if (schema === null || typeof schema !== 'object') return schema as Json;
    const name = componentName(schema);
    if (name) {
      if (!(name in this.schemas)) {
        this.schemas[name] = {}; // reserves the name while its own parts are walked
        this.schemas[name] = this.walk(schema as Schema);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return this.walk(schema as Schema);
  }

  private walk(schema: Schema): Json {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(schema)) out[k] = this.ref(v);
    return out;
  }

  private parameters(where: 'query' | 'path', schema: Schema | undefined): Record<string, Json>[] {
    if (!schema) return [];
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, s]) => {
      const { description, ...rest } = s;
      return {
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description: description as string } : {}),
        ...(rest.type === 'array' ? { style: 'form', explode: true } : {}),
        schema: this.ref(rest),
      };
    });
  }

  private operation(s: RouteSchema): Record<string, unknown> {
    const responses: Record<string, Json> = {};
    for (const [status, r] of Object.entries(s.response)) {
      const description = (r.description as string | undefined) ?? STATUS_TEXT[status] ?? 'Response';
      const content = r.content
        ? Object.fromEntries(Object.entries(r.content as Record<string, { schema: Schema; description?: string }>).map(([type, c]) => [type, { schema: this.ref(c.schema) }]))
        : { 'application/json': { schema: this.ref(r) } };
      responses[status] = { description, content };
    }
    return {
      operationId: s.operationId,
      summary: s.summary,
      ...(s.description ? { description: s.description } : {}),
      tags: s.tags,
      security: s.security,
      ...(s['x-required-role'] ? { 'x-required-role': s['x-required-role'] } : {}),
      parameters: [...this.parameters('path', s.params), ...this.parameters('query', s.querystring)],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: this.ref(s.body) } } } } : {}),
      responses,
    };
  }

  document(): OpenApiDocument {
    this.cached ??= {
      openapi: '3.1.0',
      info: this.info,
      tags: this.tags,
      paths: Object.fromEntries([...this.operations].sort(([a], [b]) => a.localeCompare(b))),
      components: { schemas: this.schemas, securitySchemes: SECURITY_SCHEMES },
    };
    return this.cached;
  }
}
