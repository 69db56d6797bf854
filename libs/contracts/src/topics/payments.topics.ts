import { z } from 'zod';
import { cardNumber, cents, customerId, orderId } from '../orders/order-fields';
import { declareTopic, message } from './topic-declaration';

/** Payments: a deterministic simulated authorizer, idempotent per order (the key). */
export const PaymentsCommands = declareTopic({
  name: 'payments.commands',
  messages: {
    AuthorizePayment: message('AuthorizePayment', 1, z.object({ orderId, customerId, amountCents: cents, cardNumber }).strict()),
    /** The order was cancelled after payment was requested: release any authorization. */
    VoidPayment: message('VoidPayment', 1, z.object({ orderId }).strict()),
  },
});

export const PaymentsEvents = declareTopic({
  name: 'payments.events',
  messages: {
    PaymentAuthorized: message(
      'PaymentAuthorized',
      1,
      z.object({ orderId, authorizationId: z.string(), amountCents: cents }).strict(),
    ),
    PaymentDeclined: message(
      'PaymentDeclined',
      1,
      z.object({ orderId, reason: z.enum(['CARD_DECLINED', 'LIMIT_EXCEEDED']), detail: z.string() }).strict(),
    ),
    PaymentVoided: message('PaymentVoided', 1, z.object({ orderId, amountCents: cents }).strict()),
  },
});
