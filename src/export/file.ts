// An export to a file appears whole or not at all: it is written to a temporary file in the
// same folder and renamed into place with its datapackage.json once complete. A failure or an
// interrupt removes what was written, so a half file is never mistaken for a slice.
import { createWriteStream, renameSync, statSync, unlinkSync, writeFileSync, accessSync, constants, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { buildDataPackage, type ExportSummary } from './datapackage.ts';
import { exportArticles, type ExportRequest, type ExportRunOptions } from './export.ts';
import type { DictionaryLang } from './fields.ts';

/** A request that cannot be carried out as given: the user has to change it (exit 2). */
export class ExportRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportRequestError';
  }
}

export interface FileExportResult {
  summary: ExportSummary;
  out: string;
  datapackage: string;
}

export function datapackagePath(out: string): string {
  return `${out}.datapackage.json`;
}

/** Refuses output paths that cannot work before any reading starts. */
export function checkOutputPath(out: string): void {
  const path = resolve(out);
  const dir = dirname(path);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new ExportRequestError(`cannot write ${out}: folder ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new ExportRequestError(`cannot write ${out}: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ExportRequestError(`cannot write ${out}: no permission to create files in ${dir}`);
  }
  try {
    if (statSync(path).isDirectory()) throw new ExportRequestError(`cannot write ${out}: it is a folder`);
  } catch (e) {
    if (e instanceof ExportRequestError) throw e;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function openTemp(path: string): Promise<WriteStream> {
  return new Promise((resolvePromise, reject) => {
    const s = createWriteStream(path, { flags: 'wx' });
    s.once('open', () => {
      s.off('error', reject);
      resolvePromise(s);
    });
    s.once('error', reject);
  });
}

function closeStream(s: WriteStream): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    s.once('error', reject);
    s.end(() => resolvePromise());
  });
}

export async function exportToFile(
  store: Store,
  req: ExportRequest,
  out: string,
  opts: ExportRunOptions & { lang?: DictionaryLang } = {},
): Promise<FileExportResult> {
  checkOutputPath(out);
  const path = resolve(out);
  const dpPath = datapackagePath(path);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dirname(path), `.${basename(path)}.${tag}.part`);
  const dpTmp = join(dirname(path), `.${basename(dpPath)}.${tag}.part`);
  let stream: WriteStream;
  try {
    stream = await openTemp(tmp);
  } catch (e) {
    throw new ExportRequestError(`cannot write ${out}: ${(e as Error).message}`);
  }
  try {
    const summary = await exportArticles(store, req, stream, opts);
    await closeStream(stream);
    writeFileSync(dpTmp, JSON.stringify(buildDataPackage(summary, path, opts.lang), null, 2) + '\n');
    renameSync(tmp, path);
    try {
      renameSync(dpTmp, dpPath);
    } catch (e) {
      // Without its description the file is not an export.
      removeQuietly(path);
      throw e;
    }
    return { summary, out: path, datapackage: dpPath };
  } catch (e) {
    stream.destroy();
    removeQuietly(tmp);
    removeQuietly(dpTmp);
    throw e;
  }
}
