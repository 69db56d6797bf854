import { InventoryCommands, type DataOf, type Envelope, type MessageDeclaration } from '@bulwark/contracts';
import { newEnvelope, type Decision } from '@bulwark/messaging';
import type { StockState } from '../../src/domain/stock-state';
import { releaseStock, type ReleaseStock } from '../../src/release-stock/release-stock.decide';
import { reserveStock, type ReserveStock } from '../../src/reserve-stock/reserve-stock.decide';
import { restock, type Restock } from '../../src/restock/restock.decide';

/** Inventory's commands with fixed ids and times, and a `given(...).when()` fold over its decide functions. */
export const SKU = 'SKU-A';
export const ORDER_1 = '11111111-1111-4111-8111-111111111111';
export const ORDER_2 = '22222222-2222-4222-8222-222222222222';
export const AT = '2026-12-03T10:00:00.000Z';

export interface Overrides {
  readonly id?: string;
  readonly key?: string;
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

export const cmd = {
  restock: (available: number, priceCents: number, o: Overrides & { sku?: string } = {}): Restock =>
    build(InventoryCommands.messages.Restock, o.sku ?? SKU, { sku: o.sku ?? SKU, available, priceCents }, o),
  reserve: (orderId: string, quantity: number, o: Overrides & { sku?: string } = {}): ReserveStock =>
    build(InventoryCommands.messages.ReserveStock, o.sku ?? SKU, { orderId, sku: o.sku ?? SKU, quantity }, o),
  release: (orderId: string, o: Overrides & { sku?: string } = {}): ReleaseStock =>
    build(InventoryCommands.messages.ReleaseStock, o.sku ?? SKU, { orderId, sku: o.sku ?? SKU }, o),
};

export function decide(stock: StockState | null, command: Envelope): Decision<StockState> {
  switch (command.type) {
    case 'Restock':
      return restock(stock, command as Restock);
    case 'ReserveStock':
      return reserveStock(stock, command as ReserveStock);
    default:
      return releaseStock(stock, command as ReleaseStock);
  }
}

export interface Outcome {
  readonly state: StockState;
  /** "<topic> <type> <key>" per emitted message, in order. */
  readonly sent: readonly string[];
  readonly envelopes: readonly Envelope[];
}

export function given(...history: Envelope[]) {
  let state: StockState | null = null;
  for (const command of history) state = decide(state, command).state;
  return {
    state,
    when(command: Envelope): Outcome {
      const decision = decide(state, command);
      return {
        state: decision.state,
        sent: decision.events.map((e) => `${e.topic} ${e.envelope.type} ${e.envelope.key}`),
        envelopes: decision.events.map((e) => e.envelope),
      };
    },
  };
}

export const dataOf = (outcome: Outcome, type: string) => outcome.envelopes.find((e) => e.type === type)?.data;
