import { z } from 'zod';
import {
  ApiErrorBody,
  CancelOrderRequest,
  CommandAccepted,
  OrderPage,
  OrderStatusChange,
  OrderView,
  PlaceOrderRequest,
  RestockRequest,
  sku,
  StockView,
} from '@bulwark/contracts';
import { DevTokenRequest, DevTokenResponse } from '../dev-tokens/dev-token.request';
import { RestockAccepted } from '../restock/restock-accepted';

/** Every body the API reads or writes, by the name it has under #/components/schemas. */
export const API_SCHEMAS = {
  PlaceOrderRequest,
  CancelOrderRequest,
  RestockRequest,
  CommandAccepted,
  OrderStatusChange,
  OrderView,
  OrderPage,
  StockView,
  RestockAccepted,
  DevTokenRequest,
  DevTokenResponse,
  ApiErrorBody,
} as const;

export type SchemaName = keyof typeof API_SCHEMAS;

type JsonSchema = Record<string, unknown>;

/**
 * The contracts' zod schemas as JSON Schema 2020-12 (OpenAPI 3.1's dialect), generated with
 * z.toJSONSchema from one registry so that a schema used inside another (OrderView in
 * OrderPage) becomes a $ref to its component instead of a copy.
 */
export function componentSchemas(): Record<SchemaName, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(API_SCHEMAS)) registry.add(schema as z.ZodType, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    // A refinement (each SKU once per order) has no JSON Schema form; the server still checks it.
    unrepresentable: 'any',
  });
  const components = {} as Record<SchemaName, JsonSchema>;
  for (const name of Object.keys(API_SCHEMAS) as SchemaName[]) {
    // Document-level keywords do not belong inside components (and the $id would shadow its location).
    const schema = { ...(schemas[name] as JsonSchema) };
    delete schema.$schema;
    delete schema.$id;
    components[name] = schema;
  }
  return components;
}

/** A bare field schema (for parameters), without the document-level keywords. */
export function fieldSchema(schema: z.ZodType): JsonSchema {
  const json = { ...(z.toJSONSchema(schema, { target: 'draft-2020-12' }) as JsonSchema) };
  delete json.$schema;
  return json;
}

export const skuSchema = () => fieldSchema(sku);
