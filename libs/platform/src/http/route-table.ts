import type { FastifyInstance } from 'fastify';

interface KnownRoute {
  readonly methods: readonly string[];
  readonly pattern: RegExp;
}

/**
 * The routes an app serves, recorded as Fastify registers them, so that a request for a known
 * path with an unknown method can be answered 405 with an `Allow` header (RFC 9110 §15.5.6)
 * instead of Nest's 404. Must be attached before the app's routes are registered (before init).
 */
export class RouteTable {
  private readonly routes: KnownRoute[] = [];

  static attach(fastify: FastifyInstance): RouteTable {
    const table = new RouteTable();
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      table.add(methods as string[], route.url);
    });
    return table;
  }

  add(methods: readonly string[], url: string): void {
    this.routes.push({ methods: methods.map((m) => m.toUpperCase()), pattern: patternOf(url) });
  }

  /** Methods served at this path (query string ignored), sorted; empty for an unknown path. */
  allowed(rawUrl: string): string[] {
    const path = rawUrl.split('?', 1)[0] ?? '';
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) for (const m of route.methods) methods.add(m);
    return [...methods].sort();
  }
}

/** Fastify's route syntax as used here: `:param` is one path segment, `*` the rest. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
