import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../server.ts';

export function registerRoutes(_app: FastifyInstance, _ctx: WebContext): void {}
