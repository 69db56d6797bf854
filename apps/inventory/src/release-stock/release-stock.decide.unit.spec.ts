import { ORDER_1, ORDER_2, SKU, cmd, dataOf, given } from '../../test/support/stock-messages';

describe('releaseStock', () => {
  it("given an order's hold, when released, then its units are free again and both topics hear of it", () => {
    const outcome = given(cmd.restock(5, 100), cmd.reserve(ORDER_1, 3), cmd.reserve(ORDER_2, 1)).when(cmd.release(ORDER_1));
    expect(outcome.sent).toEqual([`inventory.events StockReleased ${ORDER_1}`, `inventory.stock StockLevelChanged ${SKU}`]);
    expect(dataOf(outcome, 'StockReleased')).toEqual({ orderId: ORDER_1, sku: SKU, quantity: 3 });
    expect(dataOf(outcome, 'StockLevelChanged')).toEqual({ sku: SKU, available: 4, reserved: 1, priceCents: 100, version: 4 });
    expect(outcome.state.holds).toEqual([{ orderId: ORDER_2, quantity: 1, unitPriceCents: 100 }]);
  });

  it('given a released hold, when released again, then nothing more is given back (quantity 0, no level change)', () => {
    const outcome = given(cmd.restock(5, 100), cmd.reserve(ORDER_1, 3), cmd.release(ORDER_1)).when(cmd.release(ORDER_1));
    expect(outcome.sent).toEqual([`inventory.events StockReleased ${ORDER_1}`]);
    expect(dataOf(outcome, 'StockReleased')).toEqual({ orderId: ORDER_1, sku: SKU, quantity: 0 });
    expect(outcome.state.available).toBe(5);
  });

  it('given an order that holds nothing (it was rejected), when released, then it answers quantity 0', () => {
    const outcome = given(cmd.restock(1, 100), cmd.reserve(ORDER_1, 3)).when(cmd.release(ORDER_1));
    expect(dataOf(outcome, 'StockReleased')).toEqual({ orderId: ORDER_1, sku: SKU, quantity: 0 });
    expect(outcome.state.available).toBe(1);
  });

  it('given a SKU nobody stocked, when released, then it answers quantity 0 without publishing a level', () => {
    const outcome = given().when(cmd.release(ORDER_1));
    expect(outcome.sent).toEqual([`inventory.events StockReleased ${ORDER_1}`]);
    expect(outcome.state.known).toBe(false);
  });

  it('gives back what was held even after a restock changed the free units', () => {
    const outcome = given(cmd.restock(5, 100), cmd.reserve(ORDER_1, 3), cmd.restock(10, 100)).when(cmd.release(ORDER_1));
    expect(outcome.state).toMatchObject({ available: 13, holds: [] });
  });
});
