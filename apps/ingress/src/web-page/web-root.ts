import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where apps/ingress/web is, or null. The build (swc) compiles TypeScript only, so the page is
 * read from the source folder: next to this file's source (tests), from
 * dist/apps/ingress/src/web-page back to the repository (the local stack), or under the
 * working directory (a container whose WORKDIR holds apps/ingress/web).
 */
export function findWebRoot(): string | null {
  const candidates = [
    resolve(__dirname, '../../web'),
    resolve(__dirname, '../../../../../apps/ingress/web'),
    join(process.cwd(), 'apps/ingress/web'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}
