import type { FastifyInstance } from 'fastify';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * The API speaks JSON only, within a size limit. Nest's Fastify adapter also parses url-encoded forms, which would
 * let a browser form post cross-site without a CORS preflight; anything but JSON gets 415.
 */
export function requireJsonBodies(fastify: FastifyInstance, bodyLimitBytes: number): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!WITH_BODY.has(request.method)) return;
    const type = request.headers['content-type'];
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > bodyLimitBytes) {
      // Read and discard the body before answering: a server that answers and closes while the
      // client is still sending makes many clients report "connection reset" instead of the 413.
      request.raw.resume();
      await reply.status(413).send({
        error: {
          code: 'BLW_PAYLOAD_TOO_LARGE',
          message: `request body is ${length} bytes; the limit is ${bodyLimitBytes}`,
          retriable: false,
        },
      });
      return;
    }
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
