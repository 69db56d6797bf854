import { InventoryErrors } from '../domain/inventory-errors';
import { AT, ORDER_1, ORDER_2, SKU, cmd, dataOf, given } from '../../test/support/stock-messages';
import { reserveStock } from './reserve-stock.decide';

describe('reserveStock', () => {
  it('given 5 free units, when an order reserves 3, then it holds them at the current price and both topics hear of it', () => {
    const outcome = given(cmd.restock(5, 250)).when(cmd.reserve(ORDER_1, 3, { id: 'reserve-1' }));
    expect(outcome.sent).toEqual([`inventory.events StockReserved ${ORDER_1}`, `inventory.stock StockLevelChanged ${SKU}`]);
    expect(dataOf(outcome, 'StockReserved')).toEqual({ orderId: ORDER_1, sku: SKU, quantity: 3, unitPriceCents: 250 });
    expect(dataOf(outcome, 'StockLevelChanged')).toEqual({ sku: SKU, available: 2, reserved: 3, priceCents: 250, version: 2 });
    expect(outcome.state).toMatchObject({ available: 2, holds: [{ orderId: ORDER_1, quantity: 3, unitPriceCents: 250 }] });
    for (const e of outcome.envelopes)
      expect(e).toMatchObject({ causationId: 'reserve-1', correlationId: 'corr-1', occurredAt: AT });
  });

  it('given a hold already given back, when a late copy of the ReserveStock arrives, then nothing is held again', () => {
    const outcome = given(cmd.restock(5, 100), cmd.reserve(ORDER_1, 2), cmd.release(ORDER_1)).when(
      cmd.reserve(ORDER_1, 2, { id: 'late-copy' }),
    );
    expect(outcome.sent).toEqual([]);
    expect(outcome.state).toMatchObject({ available: 5, holds: [], released: [ORDER_1] });
  });

  it('reserves exactly what is left', () => {
    const outcome = given(cmd.restock(3, 100)).when(cmd.reserve(ORDER_1, 3));
    expect(outcome.state.available).toBe(0);
    expect(outcome.sent[0]).toBe(`inventory.events StockReserved ${ORDER_1}`);
  });

  it('given too few free units, when an order asks for more, then it is rejected OUT_OF_STOCK with the numbers, nothing held', () => {
    const outcome = given(cmd.restock(5, 100), cmd.reserve(ORDER_1, 4)).when(cmd.reserve(ORDER_2, 2));
    expect(outcome.sent).toEqual([`inventory.events StockRejected ${ORDER_2}`]);
    expect(dataOf(outcome, 'StockRejected')).toEqual({
      orderId: ORDER_2,
      sku: SKU,
      requested: 2,
      available: 1,
      reason: 'OUT_OF_STOCK',
    });
    expect(outcome.state).toMatchObject({ available: 1, holds: [{ orderId: ORDER_1, quantity: 4 }] });
  });

  it('given a SKU nobody stocked, when reserved, then it is rejected UNKNOWN_SKU and no stock level is published', () => {
    const outcome = given().when(cmd.reserve(ORDER_1, 1));
    expect(outcome.sent).toEqual([`inventory.events StockRejected ${ORDER_1}`]);
    expect(dataOf(outcome, 'StockRejected')).toEqual({
      orderId: ORDER_1,
      sku: SKU,
      requested: 1,
      available: 0,
      reason: 'UNKNOWN_SKU',
    });
    expect(outcome.state).toEqual({ sku: SKU, known: false, available: 0, priceCents: 0, holds: [], released: [], version: 1 });
  });

  it('given an order that holds the SKU, when it reserves again, then nothing changes and the same answer is repeated', () => {
    const first = given(cmd.restock(5, 250)).when(cmd.reserve(ORDER_1, 3));
    const again = given(cmd.restock(5, 250), cmd.reserve(ORDER_1, 3), cmd.restock(10, 999)).when(cmd.reserve(ORDER_1, 3));
    expect(again.sent).toEqual([`inventory.events StockReserved ${ORDER_1}`]);
    expect(dataOf(again, 'StockReserved')).toEqual(dataOf(first, 'StockReserved')); // the price it reserved at
    expect(again.state).toMatchObject({ available: 10, holds: [{ orderId: ORDER_1, quantity: 3, unitPriceCents: 250 }] });
  });

  it('never oversells: reservations applied one after the other stop at zero', () => {
    const history = [cmd.restock(5, 100), cmd.reserve(ORDER_1, 3)];
    const outcome = given(...history).when(cmd.reserve(ORDER_2, 3));
    expect(outcome.sent).toEqual([`inventory.events StockRejected ${ORDER_2}`]);
    expect(outcome.state.available).toBe(2);
  });

  it('derives ids from the command and position, so a replay emits byte-identical messages', () => {
    const stocked = given(cmd.restock(5, 100)).state;
    const a = reserveStock(stocked, cmd.reserve(ORDER_1, 1, { id: 'same' }));
    const b = reserveStock(stocked, cmd.reserve(ORDER_1, 1, { id: 'same' }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(new Set(a.events.map((e) => e.envelope.id)).size).toBe(2);
  });

  it('refuses a command keyed by something other than its SKU (it would bypass the single writer)', () => {
    expect(() => given(cmd.restock(5, 100)).when(cmd.reserve(ORDER_1, 1, { key: ORDER_1 }))).toThrow(
      expect.objectContaining({ code: InventoryErrors.keyMismatch, retriable: false }),
    );
  });
});
