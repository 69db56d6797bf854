import 'reflect-metadata';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { API_CONTROLLERS } from '../ingress.module';
import { statusFrame } from '../watch-order/sse-frames';
import { openApiDocument } from './openapi-document';

type Json = Record<string, unknown>;
const doc = openApiDocument() as Json & { paths: Record<string, Record<string, Json>>; components: Json };

/** Static files the page and Swagger UI load: served, not part of the API. */
const ASSETS = ['GET /app.js', 'GET /app.css', 'GET /api/docs/swagger-initializer.js', 'GET /api/docs/{}'];

/** "METHOD /path" for every route the API controllers declare, path parameters as {}. */
function controllerRoutes(): string[] {
  const join = (...parts: string[]) =>
    `/${parts
      .flatMap((p) => p.split('/'))
      .filter(Boolean)
      .join('/')}`;
  return API_CONTROLLERS.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const proto = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .map((name) => proto[name])
      .filter((handler): handler is object => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
      .map((handler) => {
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = join(base, Reflect.getMetadata(PATH_METADATA, handler) as string).replace(/:[^/]+/g, '{}');
        return `${method} ${path}`;
      });
  });
}

const documentedRoutes = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
  );

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );

/** Every `$ref` in the document, with where it was found. */
function refs(node: unknown, at = '#'): { at: string; ref: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => refs(n, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Json).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refs(v, `${at}/${k}`),
  );
}

function resolvePointer(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  return (name: string) => ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` });
}

describe('the OpenAPI 3.1 document', () => {
  it('is OpenAPI 3.1 with bearer security and the documented headers', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    const components = doc.components as { securitySchemes: Json; parameters: Json };
    expect(components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
    expect(components.parameters.IdempotencyKey).toEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(components.parameters.Prefer).toEqual(expect.objectContaining({ name: 'Prefer', in: 'header' }));
  });

  it('documents every route of the API controllers, and nothing they do not serve', () => {
    const served = controllerRoutes()
      .filter((r) => !ASSETS.includes(r))
      .sort();
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(documentedRoutes().sort()).toEqual(served);
  });

  it('resolves every $ref', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(50);
    const dangling = all.filter(({ ref }) => !ref.startsWith('#/') || resolvePointer(ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it('answers every operation with its status codes: auth and rate limit where guarded, body errors where there is a body', () => {
    for (const { route, op } of operations()) {
      const codes = Object.keys(op.responses as Json);
      expect({ route, ok: codes.some((c) => c.startsWith('2')) }).toEqual({ route, ok: true });
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic)
        expect({ route, codes: codes.filter((c) => ['401', '429'].includes(c)) }).toEqual({ route, codes: ['401', '429'] });
      if (op.requestBody)
        expect({ route, codes: codes.filter((c) => ['400', '413', '415'].includes(c)) }).toEqual({
          route,
          codes: ['400', '413', '415'],
        });
    }
    const place = doc.paths['/api/orders']!.post!;
    expect(Object.keys(place.responses as Json).sort()).toEqual([
      '200',
      '202',
      '400',
      '401',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    expect((doc.paths['/api/inventory/{sku}']!.put!.responses as Json)['403']).toBeDefined();
    expect((doc.paths['/api/orders/{orderId}/events']!.get!.responses as Json)['200']).toEqual(
      expect.objectContaining({ content: expect.objectContaining({ 'text/event-stream': expect.anything() }) }),
    );
  });

  it('has component schemas that compile and accept real answers and reject unknown request fields', () => {
    const schema = validator();
    const orderId = '6f1c2b8e-0d7a-4a57-9a39-6c0c8b7d2a11';
    const view = {
      orderId,
      customerId: 'alice',
      status: 'REJECTED',
      lines: [{ sku: 'WIDGET-1', quantity: 2 }],
      reason: 'OUT_OF_STOCK',
      detail: 'WIDGET-1: requested 2, available 1',
      placedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
      history: [{ status: 'PENDING', at: '2026-01-01T00:00:00.000Z' }],
    };
    expect(schema('OrderView')(view)).toBe(true);
    expect(schema('OrderPage')({ items: [view], nextCursor: 'abc' })).toBe(true);
    expect(
      schema('CommandAccepted')({ orderId, commandId: orderId, status: 'PENDING', links: { self: '/a', events: '/b' } }),
    ).toBe(true);
    expect(schema('ApiErrorBody')({ error: { code: 'BLW_X', message: 'm', retriable: false, details: { fields: [] } } })).toBe(
      true,
    );
    expect(schema('PlaceOrderRequest')({ lines: [{ sku: 'A', quantity: 1 }], payment: { cardNumber: '4111111111111111' } })).toBe(
      true,
    );
    expect(
      schema('PlaceOrderRequest')({ lines: [{ sku: 'A', quantity: 1 }], payment: { cardNumber: '4111111111111111' }, x: 1 }),
    ).toBe(false);
    expect(schema('DevTokenRequest')({ role: 'customer', sub: 'alice' })).toBe(true);
    for (const name of Object.keys((doc.components as { schemas: Json }).schemas)) expect(() => schema(name)).not.toThrow();
  });

  it('describes each Server-Sent Event the stream really sends, data included', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
    const media = 'openapi.json#/paths/~1api~1orders~1{orderId}~1events/get/responses/200/content/text~1event-stream';
    const eventValid = ajv.compile({ $ref: `${media}/schema` });
    const dataValid = ajv.compile({ $ref: `${media}/schema/properties/data/contentSchema` });
    // The frame as sent, parsed the way the HTML standard tells EventSource to.
    const frame = statusFrame(2, { status: 'CONFIRMED', at: '2026-12-04T10:00:00.000Z' });
    const event = Object.fromEntries(
      frame
        .split('\n')
        .filter((line) => line.includes(':') && !line.startsWith(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
    );

    expect(event).toMatchObject({ event: 'status', id: '2' });
    expect(eventValid(event)).toBe(true);
    expect(dataValid(JSON.parse(event.data as string))).toBe(true);
    expect(eventValid({ ...event, event: 'message' })).toBe(false);
    expect(dataValid({ status: 'SHIPPED', at: 'yesterday' })).toBe(false);
  });
});
