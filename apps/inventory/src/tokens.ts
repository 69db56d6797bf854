export const STOCK = Symbol('inventory.stock');
export const STOCK_RELAY = Symbol('inventory.stockRelay');
export const APPLY_OPTIONS = Symbol('inventory.applyOptions');
