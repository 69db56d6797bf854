import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

const cache = new Map<string, Promise<Buffer>>();

/**
 * Sends one of the few static files the ingress serves (the web page, Swagger UI's bundle).
 * Callers pass only paths from a fixed list, never a path built from the request. Files are
 * read once per process: they change only with a new build, which restarts the process.
 */
export async function sendStaticFile(reply: FastifyReply, path: string, headers: Record<string, string> = {}): Promise<void> {
  let content = cache.get(path);
  if (!content) {
    content = readFile(path);
    cache.set(path, content);
    content.catch(() => cache.delete(path));
  }
  await reply
    .status(200)
    .headers({
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...headers,
    })
    .send(await content);
}
