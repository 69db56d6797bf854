export const PAYMENTS = Symbol('payments.payments');
export const PAYMENTS_RELAY = Symbol('payments.paymentsRelay');
export const APPLY_OPTIONS = Symbol('payments.applyOptions');
