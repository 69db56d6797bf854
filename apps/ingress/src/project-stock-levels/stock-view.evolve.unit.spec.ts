import { InventoryStock, StockView } from '@bulwark/contracts';
import { newEnvelope } from '@bulwark/messaging';
import { evolveStockView, toStockView, type StockLevelChanged } from './stock-view.evolve';

const level = (version: number, available: number): StockLevelChanged =>
  newEnvelope(
    InventoryStock.messages.StockLevelChanged,
    'WIDGET-1',
    { sku: 'WIDGET-1', available, reserved: 1, priceCents: 999, version },
    null,
    {
      id: () => `e-${version}`,
      now: () => new Date(Date.parse('2026-01-01T00:00:00Z') + version * 1000),
    },
  ) as StockLevelChanged;

describe('evolveStockView (stock_views projection)', () => {
  it('keeps a level only if its version is higher than the stored one', () => {
    const v2 = evolveStockView(null, level(2, 5))!;
    expect(v2).toEqual({
      _id: 'WIDGET-1',
      sku: 'WIDGET-1',
      available: 5,
      reserved: 1,
      priceCents: 999,
      updatedAt: '2026-01-01T00:00:02.000Z',
      version: 2,
    });
    expect(evolveStockView(v2, level(2, 7))).toBeNull();
    expect(evolveStockView(v2, level(1, 9))).toBeNull();
    expect(evolveStockView(v2, level(3, 4))?.available).toBe(4);
  });

  it('answers the public StockView shape', () => {
    expect(StockView.strict().safeParse(toStockView(evolveStockView(null, level(1, 1))!)).success).toBe(true);
  });
});
