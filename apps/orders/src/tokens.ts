export const ORDERS = Symbol('orders.orders');
export const ORDERS_RELAY = Symbol('orders.ordersRelay');
export const APPLY_OPTIONS = Symbol('orders.applyOptions');
