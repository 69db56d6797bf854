import type { EnvelopeOf, OrderStatus, OrdersEvents, RejectionReason } from '@bulwark/contracts';
import { isFinal, normalisedInstant, type OrderViewDocument } from '../orders/order-view-document';

export type OrdersEvent = EnvelopeOf<typeof OrdersEvents>;

/** Enough to recognise any redelivery: an order has a handful of events (one per cancel attempt at most). */
const APPLIED_IDS_KEPT = 100;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<Omit<OrderViewDocument, 'version' | 'appliedEventIds' | 'updatedAt'>>;

/**
 * evolve for the order read model: the next document, or null when the event was applied
 * before (its id is remembered). A pure function of (document, event): every time comes from
 * the event, never from the clock, so replaying orders.events into an empty database rebuilds
 * byte-identical documents. A final order never changes status again (a late event is counted
 * but does not move it), and a status is entered once.
 */
export function evolveOrderView(current: OrderViewDocument | null, event: OrdersEvent): OrderViewDocument | null {
  if (current?.appliedEventIds.includes(event.id)) return null;
  const draft: Draft = current ? { ...current, history: [...current.history] } : skeleton(event);
  const at = event.occurredAt;
  switch (event.type) {
    case 'OrderPlaced':
      // Fills in what only OrderPlaced carries; orders emits it first, so normally it creates the
      // document. If a later event got here first it leaves that event's status alone.
      draft.lines = event.data.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      draft.placedAt = normalisedInstant(event.data.placedAt);
      if (!current) draft.history = [{ status: 'PENDING', at: draft.placedAt }];
      break;
    case 'OrderAwaitingPayment':
      enter(draft, 'AWAITING_PAYMENT', at, { amountCents: event.data.amountCents });
      break;
    case 'OrderConfirmed':
      enter(draft, 'CONFIRMED', at, { amountCents: event.data.amountCents });
      break;
    case 'OrderRejected':
      enter(draft, 'REJECTED', at, { reason: event.data.reason, detail: event.data.detail });
      break;
    case 'OrderCancelled':
      enter(draft, 'CANCELLED', at, event.data.reason ? { detail: event.data.reason } : {});
      break;
    case 'OrderCancellationRefused':
      break; // the order was final already: counted (version), nothing else changes
  }
  return layout(draft, {
    version: (current?.version ?? 0) + 1,
    appliedEventIds: [...(current?.appliedEventIds ?? []), event.id].slice(-APPLIED_IDS_KEPT),
    updatedAt: at,
  });
}

function enter(
  draft: Draft,
  status: OrderStatus,
  at: string,
  extra: { amountCents?: number; reason?: RejectionReason; detail?: string },
): void {
  if (isFinal(draft.status) || draft.history.some((h) => h.status === status)) return;
  draft.status = status;
  if (extra.amountCents !== undefined) draft.amountCents = extra.amountCents;
  if (extra.reason !== undefined) draft.reason = extra.reason;
  if (extra.detail !== undefined) draft.detail = extra.detail;
  draft.history.push({
    status,
    at,
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    ...(extra.detail === undefined ? {} : { detail: extra.detail }),
  });
}

/** A document for an order whose OrderPlaced has not been seen (out of the ordinary; see above). */
function skeleton(event: OrdersEvent): Draft {
  return {
    _id: event.data.orderId,
    orderId: event.data.orderId,
    customerId: event.data.customerId,
    status: 'PENDING',
    lines: [],
    placedAt: normalisedInstant(event.occurredAt),
    history: [],
  };
}

/** Keys always in the same order and absent fields omitted: same events, same bytes. */
function layout(d: Draft, meta: { version: number; appliedEventIds: readonly string[]; updatedAt: string }): OrderViewDocument {
  return {
    _id: d._id,
    orderId: d.orderId,
    customerId: d.customerId,
    status: d.status,
    lines: d.lines,
    ...(d.amountCents === undefined ? {} : { amountCents: d.amountCents }),
    ...(d.reason === undefined ? {} : { reason: d.reason }),
    ...(d.detail === undefined ? {} : { detail: d.detail }),
    placedAt: d.placedAt,
    updatedAt: meta.updatedAt,
    history: d.history,
    version: meta.version,
    appliedEventIds: meta.appliedEventIds,
  };
}
