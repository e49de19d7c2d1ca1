// The researcher export over HTTP: the same slice, the same bytes as `mediamittari export`,
// streamed from exportArticles into the response with backpressure, so a slow download slows
// the export instead of filling the server's memory. `datapackage=1` answers with the
// datapackage.json of the same request (row count, size and hash included, so it costs one
// pass over the slice without sending it).
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildDataPackage } from '../../export/datapackage.ts';
import { exportArticles, ExportAborted } from '../../export/export.ts';
import { MEDIA_TYPES, type ExportFormat } from '../../export/formats.ts';
import type { WebContext } from '../server.ts';
import { ApiError } from './errors.ts';
import { exportRequest, type ExportQuery } from './filters.ts';

/** Exports at once per server: each holds a read snapshot and a core while it runs. */
export const MAX_RUNNING_EXPORTS = 3;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: `${MEDIA_TYPES.jsonl}; charset=utf-8`,
  csv: `${MEDIA_TYPES.csv}; charset=utf-8; header=present`,
  parquet: MEDIA_TYPES.parquet,
};

/** One name for the data and its description, so that saved side by side they belong together. */
export const exportFileName = (format: ExportFormat) => `mediamittari-articles.${format}`;

export function exportHandler(app: FastifyInstance, ctx: WebContext) {
  let running = 0;
  let closing = false;
  const streaming = new Set<PassThrough>();
  // A download that has stalled would hold the server open forever: closing cuts it short.
  app.addHook('preClose', async () => {
    closing = true;
    for (const body of streaming) body.destroy(new Error('the server is shutting down'));
  });
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as ExportQuery & { datapackage?: boolean };
    const request = exportRequest(ctx, q);
    if (running >= MAX_RUNNING_EXPORTS) {
      reply.header('retry-after', '30');
      throw new ApiError(429, `${running} exports are running; try again in a moment`);
    }
    const file = exportFileName(request.format);
    const log = ctx.log.child({ user: req.viewer.user?.username, via: req.viewer.via, format: request.format, text: request.text });
    reply.header('cache-control', 'no-store');
    running++;

    const abort = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });

    if (q.datapackage) {
      try {
        // The data is encoded and hashed but goes nowhere: the description needs its size and hash.
        const summary = await exportArticles(ctx.store, request, () => {}, { signal: abort.signal });
        reply.header('content-disposition', `attachment; filename="${file}.datapackage.json"`);
        return reply.type('application/json; charset=utf-8').send(buildDataPackage(summary, file, req.lang));
      } finally {
        running--;
      }
    }

    const described = new URLSearchParams(req.url.split('?')[1] ?? '');
    described.set('datapackage', '1');
    const body = new PassThrough();
    streaming.add(body);
    const started = Date.now();
    exportArticles(ctx.store, request, body, { signal: abort.signal })
      .then(
        (s) => {
          body.end();
          log.info('export streamed', { rows: s.rows, bytes: s.bytes, ms: Date.now() - started });
        },
        (e: Error) => {
          // Cutting the response short is what tells the client the file is incomplete.
          body.destroy(e);
          if (closing) log.info('export stopped: the server is shutting down', { ms: Date.now() - started });
          else if (e instanceof ExportAborted || abort.signal.aborted) log.info('export stopped: the client went away', { ms: Date.now() - started });
          else log.error('export failed', { error: e.stack ?? e.message });
        },
      )
      .finally(() => {
        running--;
        streaming.delete(body);
      });
    return reply
      .type(CONTENT_TYPES[request.format])
      .header('content-disposition', `attachment; filename="${file}"`)
      .header('link', `</api/v1/export?${described.toString()}>; rel="describedby"; type="application/json"`)
      .send(body);
  };
}
