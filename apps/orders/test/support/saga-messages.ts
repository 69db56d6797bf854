import {
  InventoryEvents,
  OrdersCommands,
  PaymentsEvents,
  type DataOf,
  type Envelope,
  type MessageDeclaration,
} from '@bulwark/contracts';
import { newEnvelope, type Decision } from '@bulwark/messaging';
import { cancelOrder, type CancelOrder } from '../../src/cancel-order/cancel-order.decide';
import type { OrderState } from '../../src/domain/order-state';
import { placeOrder, type PlaceOrder } from '../../src/place-order/place-order.decide';
import { recordPaymentAnswer, type PaymentAnswer } from '../../src/record-payment-answer/record-payment-answer.decide';
import { recordStockAnswer, type StockAnswer } from '../../src/record-stock-answer/record-stock-answer.decide';

/**
 * The messages of the order saga as orders receives them, built with newEnvelope (so they are
 * valid) and fixed ids and times (so decisions are reproducible), and a `given(...).when()`
 * fold over orders' decide functions in the style of Emmett's tests.
 */
export const ORDER_ID = '0b5f0c1e-3a3f-4f7e-9d6a-6a2f5a8b9c01';
export const CUSTOMER = 'alice';
export const GOOD_CARD = '4242424242424242';
export const AT = '2026-12-03T10:00:00.000Z';

export interface Overrides {
  readonly id?: string;
  readonly key?: string;
  readonly orderId?: string;
}

let counter = 0;

function build<M extends MessageDeclaration>(declaration: M, key: string, data: DataOf<M>, o: Overrides) {
  const id = o.id ?? `${declaration.type}-${++counter}`;
  return newEnvelope(
    declaration,
    o.key ?? key,
    data,
    { correlationId: 'corr-1', causationId: 'cause-1' },
    {
      id: () => id,
      now: () => new Date(AT),
    },
  );
}

const orderIdOf = (o: Overrides) => o.orderId ?? ORDER_ID;

export const msg = {
  placeOrder: (
    lines: readonly { sku: string; quantity: number }[],
    o: Overrides & { customerId?: string; cardNumber?: string } = {},
  ): PlaceOrder =>
    build(
      OrdersCommands.messages.PlaceOrder,
      orderIdOf(o),
      {
        orderId: orderIdOf(o),
        customerId: o.customerId ?? CUSTOMER,
        lines: lines.map((l) => ({ ...l })),
        payment: { cardNumber: o.cardNumber ?? GOOD_CARD },
      },
      o,
    ),
  cancelOrder: (o: Overrides & { customerId?: string; reason?: string } = {}): CancelOrder =>
    build(
      OrdersCommands.messages.CancelOrder,
      orderIdOf(o),
      { orderId: orderIdOf(o), customerId: o.customerId ?? CUSTOMER, reason: o.reason ?? 'changed my mind' },
      o,
    ),
  stockReserved: (sku: string, quantity: number, unitPriceCents: number, o: Overrides = {}): StockAnswer =>
    build(InventoryEvents.messages.StockReserved, orderIdOf(o), { orderId: orderIdOf(o), sku, quantity, unitPriceCents }, o),
  stockRejected: (
    sku: string,
    requested: number,
    available: number,
    reason: 'OUT_OF_STOCK' | 'UNKNOWN_SKU' = 'OUT_OF_STOCK',
    o: Overrides = {},
  ): StockAnswer =>
    build(InventoryEvents.messages.StockRejected, orderIdOf(o), { orderId: orderIdOf(o), sku, requested, available, reason }, o),
  stockReleased: (sku: string, quantity: number, o: Overrides = {}): StockAnswer =>
    build(InventoryEvents.messages.StockReleased, orderIdOf(o), { orderId: orderIdOf(o), sku, quantity }, o),
  paymentAuthorized: (amountCents: number, o: Overrides = {}): PaymentAnswer =>
    build(
      PaymentsEvents.messages.PaymentAuthorized,
      orderIdOf(o),
      { orderId: orderIdOf(o), authorizationId: `auth-${orderIdOf(o)}`, amountCents },
      o,
    ),
  paymentDeclined: (
    reason: 'CARD_DECLINED' | 'LIMIT_EXCEEDED' = 'CARD_DECLINED',
    detail = 'card ending 0002 declined',
    o: Overrides = {},
  ): PaymentAnswer => build(PaymentsEvents.messages.PaymentDeclined, orderIdOf(o), { orderId: orderIdOf(o), reason, detail }, o),
  paymentVoided: (amountCents: number, o: Overrides = {}): PaymentAnswer =>
    build(PaymentsEvents.messages.PaymentVoided, orderIdOf(o), { orderId: orderIdOf(o), amountCents }, o),
};

/** Routes a message to the decide function of its use case, as the consumers do. */
export function decide(order: OrderState | null, message: Envelope): Decision<OrderState> | null {
  switch (message.type) {
    case 'PlaceOrder':
      return placeOrder(order, message as PlaceOrder);
    case 'CancelOrder':
      return cancelOrder(order, message as CancelOrder);
    case 'StockReserved':
    case 'StockRejected':
    case 'StockReleased':
      return recordStockAnswer(order, message as StockAnswer);
    default:
      return recordPaymentAnswer(order, message as PaymentAnswer);
  }
}

export interface Outcome {
  /** What the store holds afterwards (the state before, when the decision was null). */
  readonly state: OrderState | null;
  readonly decision: Decision<OrderState> | null;
  /** "<topic> <type> <key>" per emitted message, in order. */
  readonly sent: readonly string[];
  readonly envelopes: readonly Envelope[];
}

/** Applies `history` in order, then `when` reports what the next message decides. */
export function given(...history: Envelope[]) {
  let state: OrderState | null = null;
  for (const message of history) state = decide(state, message)?.state ?? state;
  return {
    state,
    when(message: Envelope): Outcome {
      const decision = decide(state, message);
      const events = decision?.events ?? [];
      return {
        state: decision?.state ?? state,
        decision,
        sent: events.map((e) => `${e.topic} ${e.envelope.type} ${e.envelope.key}`),
        envelopes: events.map((e) => e.envelope),
      };
    },
  };
}

/** The data of the first emitted message of `type`. */
export function dataOf(outcome: Outcome, type: string): Record<string, unknown> | undefined {
  return outcome.envelopes.find((e) => e.type === type)?.data as Record<string, unknown> | undefined;
}
