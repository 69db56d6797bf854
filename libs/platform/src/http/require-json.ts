import type { FastifyInstance } from 'fastify';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * The API speaks JSON only. Nest's Fastify adapter also parses url-encoded forms, which would
 * let a browser form post cross-site without a CORS preflight; anything but JSON gets 415.
 */
export function requireJsonBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!WITH_BODY.has(request.method)) return;
    const type = request.headers['content-type'];
    const length = Number(request.headers['content-length'] ?? 0);
    const chunked = request.headers['transfer-encoding'] !== undefined;
    if (!type && length === 0 && !chunked) return; // no body at all (e.g. POST .../cancel)
    if (type && JSON_TYPE.test(type)) return;
    await reply.status(415).send({
      error: {
        code: 'BLW_UNSUPPORTED_MEDIA_TYPE',
        message: `request bodies must be application/json (got ${type ?? 'no content-type'})`,
        retriable: false,
      },
    });
  });
}
