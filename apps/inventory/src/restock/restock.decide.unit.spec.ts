import { InventoryErrors } from '../domain/inventory-errors';
import { ORDER_1, SKU, cmd, dataOf, given } from '../../test/support/stock-messages';

describe('restock', () => {
  it('given no stock, when restocked, then the SKU is known with those free units and price', () => {
    const outcome = given().when(cmd.restock(7, 1250));
    expect(outcome.sent).toEqual([`inventory.stock StockLevelChanged ${SKU}`]);
    expect(dataOf(outcome, 'StockLevelChanged')).toEqual({ sku: SKU, available: 7, reserved: 0, priceCents: 1250, version: 1 });
    expect(outcome.state).toEqual({ sku: SKU, known: true, available: 7, priceCents: 1250, holds: [], released: [], version: 1 });
  });

  it('sets free units and price but leaves holds untouched', () => {
    const outcome = given(cmd.restock(5, 100), cmd.reserve(ORDER_1, 2)).when(cmd.restock(20, 300));
    expect(dataOf(outcome, 'StockLevelChanged')).toEqual({ sku: SKU, available: 20, reserved: 2, priceCents: 300, version: 3 });
    expect(outcome.state.holds).toEqual([{ orderId: ORDER_1, quantity: 2, unitPriceCents: 100 }]);
  });

  it('makes a SKU that was asked for before it was stocked known', () => {
    const outcome = given(cmd.reserve(ORDER_1, 1)).when(cmd.restock(4, 100));
    expect(outcome.state).toMatchObject({ known: true, available: 4, version: 2 });
  });

  it('counts one version per command, whatever it did, so the published version only grows', () => {
    const history = [cmd.restock(5, 100), cmd.reserve(ORDER_1, 9), cmd.reserve(ORDER_1, 1), cmd.release(ORDER_1)];
    expect(given(...history).when(cmd.restock(5, 100)).state.version).toBe(5);
  });

  it('refuses a command keyed by something other than its SKU', () => {
    expect(() => given().when(cmd.restock(1, 1, { key: 'SKU-B' }))).toThrow(
      expect.objectContaining({ code: InventoryErrors.keyMismatch, retriable: false }),
    );
  });
});
