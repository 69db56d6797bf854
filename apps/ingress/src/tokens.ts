export const INGRESS_CONFIG = Symbol('ingress.config');
export const PINGS_COLLECTION = Symbol('ingress.pings');
/** Read model, written only by the projection consumers (one writer per document: its partition). */
export const ORDER_VIEWS = Symbol('ingress.order_views');
export const STOCK_VIEWS = Symbol('ingress.stock_views');
/** (customerId) => the order list bucket of that customer (see orders/order-list-index.ts). */
export const ORDER_LIST = Symbol('ingress.order_list');
/** Orders accepted over HTTP and not projected yet (see orders/accepted-order.ts). */
export const ACCEPTED_ORDERS = Symbol('ingress.accepted_orders');
export const IDEMPOTENCY_RECORDS = Symbol('ingress.idempotency_keys');
export const RATE_LIMITER = Symbol('ingress.rate_limiter');
/** One document per take-over of an idempotency record: inserting it is what makes the take-over atomic. */
export const IDEMPOTENCY_CLAIMS = Symbol('ingress.idempotency_claims');
/** Markers of one-off read model migrations done (see orders/order-list-backfill.ts). */
export const READ_MODEL_MARKERS = Symbol('ingress.read_model_markers');
