import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where apps/ingress/web is. The build (swc) compiles TypeScript only, so the page is read from
 * the source folder: next to this file's source (tests), from dist/apps/ingress/src/web-page
 * back to the repository (the local stack), or under the working directory (a container whose
 * WORKDIR holds apps/ingress/web).
 */
export function findWebRoot(): string {
  const candidates = [
    resolve(__dirname, '../../web'),
    resolve(__dirname, '../../../../../apps/ingress/web'),
    join(process.cwd(), 'apps/ingress/web'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the web page (apps/ingress/web/index.html) is not in any of: ${candidates.join(', ')}`);
  return found;
}
