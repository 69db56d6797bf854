import { z } from 'zod';
import { cardNumber, cents, customerId, orderId, orderLines, REJECTION_REASONS } from '../orders/order-fields';
import { declareTopic, message } from './topic-declaration';

/**
 * The orders service: the saga's coordinator. Everything here is keyed by the order id, and
 * so are inventory.events and payments.events, so one replica owns an order across all three
 * topics (the group uses the co-partitioned assignment, see libs/messaging).
 */
export const OrdersCommands = declareTopic({
  name: 'orders.commands',
  messages: {
    PlaceOrder: message(
      'PlaceOrder',
      1,
      z.object({ orderId, customerId, lines: orderLines, payment: z.object({ cardNumber }).strict() }).strict(),
    ),
    CancelOrder: message('CancelOrder', 1, z.object({ orderId, customerId, reason: z.string().max(200) }).strict()),
  },
});

export const OrdersEvents = declareTopic({
  name: 'orders.events',
  messages: {
    OrderPlaced: message(
      'OrderPlaced',
      1,
      z.object({ orderId, customerId, lines: orderLines, placedAt: z.iso.datetime({ offset: true }) }).strict(),
    ),
    /** Every line reserved; payment requested for the amount at the reserved prices. */
    OrderAwaitingPayment: message('OrderAwaitingPayment', 1, z.object({ orderId, customerId, amountCents: cents }).strict()),
    OrderConfirmed: message(
      'OrderConfirmed',
      1,
      z.object({ orderId, customerId, amountCents: cents, authorizationId: z.string() }).strict(),
    ),
    OrderRejected: message(
      'OrderRejected',
      1,
      z.object({ orderId, customerId, reason: z.enum(REJECTION_REASONS), detail: z.string() }).strict(),
    ),
    OrderCancelled: message('OrderCancelled', 1, z.object({ orderId, customerId, reason: z.string() }).strict()),
    /** A CancelOrder that came too late (the order was already final): nothing changed. */
    OrderCancellationRefused: message(
      'OrderCancellationRefused',
      1,
      z.object({ orderId, customerId, status: z.string() }).strict(),
    ),
  },
});
