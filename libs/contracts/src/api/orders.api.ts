import { z } from 'zod';
import {
  cardNumber,
  cents,
  customerId,
  orderId,
  orderLines,
  ORDER_STATUSES,
  REJECTION_REASONS,
  sku,
} from '../orders/order-fields';

/**
 * The public HTTP API's bodies, declared once: the ingress validates with them and the
 * OpenAPI document at /api/docs is generated from them. Unknown fields are rejected.
 */
export const PlaceOrderRequest = z.object({ lines: orderLines, payment: z.object({ cardNumber }).strict() }).strict();
export type PlaceOrderRequest = z.output<typeof PlaceOrderRequest>;

export const CancelOrderRequest = z.object({ reason: z.string().min(1).max(200).optional() }).strict();
export type CancelOrderRequest = z.output<typeof CancelOrderRequest>;

export const RestockRequest = z.object({ available: z.number().int().min(0).max(1_000_000), priceCents: cents }).strict();
export type RestockRequest = z.output<typeof RestockRequest>;

/** 202 Accepted: the command is durable in Kafka; follow `links.self` (or its `events`). */
export const CommandAccepted = z.object({
  orderId,
  commandId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  links: z.object({ self: z.string(), events: z.string() }),
});

export const OrderStatusChange = z.object({
  status: z.enum(ORDER_STATUSES),
  at: z.iso.datetime({ offset: true }),
  reason: z.enum(REJECTION_REASONS).optional(),
  detail: z.string().optional(),
});

export const OrderView = z.object({
  orderId,
  customerId,
  status: z.enum(ORDER_STATUSES),
  lines: orderLines,
  amountCents: cents.optional(),
  reason: z.enum(REJECTION_REASONS).optional(),
  detail: z.string().optional(),
  placedAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  /** Every status the order went through, oldest first (what the SSE stream sends). */
  history: z.array(OrderStatusChange),
});
export type OrderView = z.output<typeof OrderView>;

export const OrderPage = z.object({
  items: z.array(OrderView),
  /** Pass as `?cursor=` for the next page; absent on the last page. */
  nextCursor: z.string().optional(),
});

export const StockView = z.object({
  sku,
  available: z.number().int().min(0),
  reserved: z.number().int().min(0),
  priceCents: cents,
  updatedAt: z.iso.datetime({ offset: true }),
});

/** Every 4xx/5xx body: a stable machine-readable code, whether retrying can help, details. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    retriable: z.boolean(),
    /** For BLW_VALIDATION_FAILED: `{ fields: [{ path, code, message }] }`, one per failing field. */
    details: z.unknown().optional(),
  }),
});
