import { orderId } from '@bulwark/contracts';
import { MAX_WAIT_SECONDS } from '../http/prefer-wait';
import { componentSchemas, fieldSchema, skuSchema, type SchemaName } from './openapi-schemas';

type Json = Record<string, unknown>;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });

/** An error answer: always the ApiErrorBody shape; `codes` are the error.code values it carries. */
function error(description: string, codes: readonly string[], headers: Json = {}): Json {
  return {
    description: `${description} (error.code: ${codes.join(', ')})`,
    content: json('ApiErrorBody'),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

const unauthenticated = error('Missing, malformed, badly signed or expired bearer token', ['BLW_UNAUTHENTICATED'], {
  'WWW-Authenticate': header('WWWAuthenticate'),
});
const rateLimited = error('Too many requests from this subject (or address)', ['BLW_RATE_LIMITED'], {
  'Retry-After': header('RetryAfter'),
});
const internal = error('Unexpected server error', ['BLW_INTERNAL']);
const brokerUnavailable = error(
  'Kafka did not acknowledge the command durably in time, or the store stayed overloaded; nothing was accepted',
  ['BLW_BROKER_UNAVAILABLE', 'BLW_STORE_BUSY'],
  {
    'Retry-After': header('RetryAfter'),
  },
);
const badBody = error('Malformed JSON, or a body that fails the schema (every failing field in error.details.fields)', [
  'BLW_MALFORMED_JSON',
  'BLW_VALIDATION_FAILED',
]);
const tooLarge = error('Body larger than the limit (16 KiB)', ['BLW_PAYLOAD_TOO_LARGE']);
const notJson = error('Body that is not application/json', ['BLW_UNSUPPORTED_MEDIA_TYPE']);
const orderNotFound = error("Unknown order, or someone else's (the two look the same)", ['BLW_ORDER_NOT_FOUND']);

/**
 * One Server-Sent Event as the HTML standard defines its fields (the generic event schema of
 * OpenAPI 3.2): `data` carries the JSON of `data`'s schema, `id` the event's index.
 */
function sseEventSchema(event: string, data: Json): Json {
  return {
    type: 'object',
    required: ['event', 'data', 'id'],
    properties: {
      event: { type: 'string', const: event },
      id: { type: 'string', pattern: '^[0-9]+$' },
      retry: { type: 'integer', minimum: 0 },
      data: { type: 'string', contentMediaType: 'application/json', contentSchema: data },
    },
  };
}

const withBody = { '400': badBody, '413': tooLarge, '415': notJson };
const guarded = { '401': unauthenticated, '429': rateLimited, '500': internal };
const bearer = [{ bearer: [] }];

const acceptedHeaders = { Location: header('Location'), 'Idempotent-Replayed': header('IdempotentReplayed') };
const waitedHeaders = { 'Preference-Applied': header('PreferenceApplied'), 'Idempotent-Replayed': header('IdempotentReplayed') };

/** The paths of the public API (docs/adr/0005-order-saga.md); the unit test checks it against the controllers. */
function paths(): Json {
  return {
    '/api/orders': {
      post: {
        operationId: 'placeOrder',
        summary: 'Place an order (customer)',
        description:
          'One order per Idempotency-Key (per subject): a retry with the same key and body answers the first response again. ' +
          '202 only after Kafka acknowledged the command with acks=all.',
        security: bearer,
        parameters: [param('IdempotencyKey'), param('Prefer')],
        requestBody: { required: true, content: json('PlaceOrderRequest') },
        responses: {
          '200': {
            description: 'Prefer: wait=N and the order became final in time',
            content: json('OrderView'),
            headers: waitedHeaders,
          },
          '202': {
            description: 'Accepted: the PlaceOrder command is durable in Kafka',
            content: json('CommandAccepted'),
            headers: acceptedHeaders,
          },
          '400': error('Malformed JSON, schema-invalid body, or a missing/invalid Idempotency-Key', [
            'BLW_MALFORMED_JSON',
            'BLW_VALIDATION_FAILED',
            'BLW_IDEMPOTENCY_KEY_MISSING',
          ]),
          '409': error('A request with this Idempotency-Key is still being processed', ['BLW_IDEMPOTENCY_IN_FLIGHT'], {
            'Retry-After': header('RetryAfter'),
          }),
          '413': tooLarge,
          '415': notJson,
          '422': error('This Idempotency-Key was used with a different body', ['BLW_IDEMPOTENCY_KEY_REUSED']),
          '503': brokerUnavailable,
          ...guarded,
        },
      },
      get: {
        operationId: 'listOrders',
        summary: "The caller's orders, newest first (customer)",
        security: bearer,
        parameters: [param('Limit'), param('Cursor')],
        responses: {
          '200': { description: 'A page of orders', content: json('OrderPage') },
          '400': error('Invalid limit or cursor', ['BLW_VALIDATION_FAILED']),
          ...guarded,
        },
      },
    },
    '/api/orders/{orderId}': {
      get: {
        operationId: 'getOrder',
        summary: "One of the caller's orders (owner); PENDING right after the 202",
        security: bearer,
        parameters: [param('OrderId')],
        responses: { '200': { description: 'The order', content: json('OrderView') }, '404': orderNotFound, ...guarded },
      },
    },
    '/api/orders/{orderId}/cancel': {
      post: {
        operationId: 'cancelOrder',
        summary: 'Cancel an order that is not final yet (owner)',
        security: bearer,
        parameters: [param('OrderId'), param('Prefer')],
        requestBody: { required: false, content: json('CancelOrderRequest') },
        responses: {
          '200': {
            description: 'Prefer: wait=N and the order became final in time',
            content: json('OrderView'),
            headers: waitedHeaders,
          },
          '202': {
            description: 'Accepted: the CancelOrder command is durable in Kafka',
            content: json('CommandAccepted'),
            headers: { Location: header('Location') },
          },
          ...withBody,
          '404': orderNotFound,
          '409': error('The order is final already (CONFIRMED, REJECTED or CANCELLED)', ['BLW_ORDER_FINAL']),
          '503': brokerUnavailable,
          ...guarded,
        },
      },
    },
    '/api/orders/{orderId}/events': {
      get: {
        operationId: 'watchOrder',
        summary: 'Live status changes as Server-Sent Events (owner)',
        description:
          'One `status` event per history entry (`id` = its index, `data` = OrderStatusChange as JSON); the stream ends after a ' +
          'final status. Honours Last-Event-ID. The token may be passed as ?access_token= because EventSource cannot send headers.',
        security: [{ bearer: [] }, { accessToken: [] }],
        parameters: [param('OrderId'), param('LastEventId')],
        responses: {
          '200': {
            description: "text/event-stream; each event's data is an OrderStatusChange",
            // One event, not the whole stream: OpenAPI 3.2 names this itemSchema; tools reading 3.1
            // (Schemathesis among them) take `schema` of text/event-stream per event.
            content: { 'text/event-stream': { schema: sseEventSchema('status', ref('OrderStatusChange')) } },
          },
          '204': {
            description: 'Last-Event-ID is at or after the final status: nothing more will come (EventSource stops reconnecting)',
          },
          '404': orderNotFound,
          ...guarded,
        },
      },
    },
    '/api/inventory/{sku}': {
      put: {
        operationId: 'restock',
        summary: "Set a SKU's free units and price (admin)",
        security: bearer,
        parameters: [param('Sku')],
        requestBody: { required: true, content: json('RestockRequest') },
        responses: {
          '202': { description: 'Accepted: the Restock command is durable in Kafka', content: json('RestockAccepted') },
          '400': error('Invalid SKU in the path, malformed JSON or a schema-invalid body', [
            'BLW_MALFORMED_JSON',
            'BLW_VALIDATION_FAILED',
          ]),
          '403': error("The token is not an admin's", ['BLW_FORBIDDEN']),
          '413': tooLarge,
          '415': notJson,
          '503': brokerUnavailable,
          ...guarded,
        },
      },
      get: {
        operationId: 'getStock',
        summary: "A SKU's stock level (any token)",
        security: bearer,
        parameters: [param('Sku')],
        responses: {
          '200': { description: 'The stock level as last projected', content: json('StockView') },
          '400': error('Invalid SKU in the path', ['BLW_VALIDATION_FAILED']),
          '404': error('No stock known for this SKU', ['BLW_SKU_NOT_FOUND']),
          ...guarded,
        },
      },
    },
    '/api/dev/tokens': {
      post: {
        operationId: 'issueDevToken',
        summary: 'A 12-hour token for anyone (local development only: DEV_TOKENS=true)',
        security: [],
        requestBody: { required: true, content: json('DevTokenRequest') },
        responses: {
          '200': { description: 'A signed token', content: json('DevTokenResponse') },
          ...withBody,
          '404': error('DEV_TOKENS is not enabled on this deployment', ['BLW_NOT_FOUND']),
          '429': rateLimited,
          '500': internal,
        },
      },
    },
    '/api/docs': {
      get: {
        operationId: 'apiDocsUi',
        summary: 'This document in Swagger UI',
        security: [],
        responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/api/docs/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This OpenAPI 3.1 document',
        security: [],
        responses: { '200': { description: 'The document', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/': {
      get: {
        operationId: 'webPage',
        summary: 'The web page (place an order, watch it live)',
        security: [],
        responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
  };
}

function components(): Json {
  return {
    schemas: componentSchemas(),
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'HS256, issuer `bulwark`, claims sub, role (customer | admin), exp',
      },
      accessToken: {
        type: 'apiKey',
        in: 'query',
        name: 'access_token',
        description: 'Only on /api/orders/{orderId}/events (EventSource)',
      },
    },
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description: 'Per subject; 1..255 printable ASCII, e.g. a random UUID per order. Remembered 24 h.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
      },
      Prefer: {
        name: 'Prefer',
        in: 'header',
        required: false,
        description: `\`wait=N\` (1..${MAX_WAIT_SECONDS}): wait up to N s for the order to be final and answer 200 with it`,
        schema: { type: 'string', examples: ['wait=5'] },
      },
      OrderId: { name: 'orderId', in: 'path', required: true, schema: fieldSchema(orderId) },
      Sku: { name: 'sku', in: 'path', required: true, schema: skuSchema() },
      Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      Cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'nextCursor of the previous page (opaque); anything else is 400',
        schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' },
      },
      LastEventId: {
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        description:
          'Index (`id`) of the last status event received; the stream resumes after it. Any other value is ' +
          'ignored and the stream starts from the first event: EventSource sends back whatever id it saw last, ' +
          'and an error would end its reconnection for good',
        schema: { type: 'string' },
      },
    },
    headers: {
      Location: { description: 'The order (GET it, or append /events to watch it)', schema: { type: 'string' } },
      RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
      WWWAuthenticate: { description: 'The authentication scheme: Bearer', schema: { type: 'string' } },
      IdempotentReplayed: {
        description: '`true` when this is the stored response of an earlier request with the same key',
        schema: { type: 'string', enum: ['true'] },
      },
      PreferenceApplied: { description: '`wait=N`: the answer waited for a final status', schema: { type: 'string' } },
    },
  };
}

let cached: Json | undefined;

/** The OpenAPI 3.1 document served at /api/docs/openapi.json (built once; it depends only on the code). */
export function openApiDocument(): Json {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'Bulwark API',
      version: '1',
      description:
        'The public HTTP API of the Bulwark ingress: orders (a saga across orders, inventory and payments over Kafka) and ' +
        'inventory. Every error body is `{"error":{"code","message","retriable","details"?}}`. See docs/adr/0005-order-saga.md.',
    },
    servers: [{ url: '/' }],
    security: bearer,
    paths: paths(),
    components: components(),
  };
  return cached;
}
