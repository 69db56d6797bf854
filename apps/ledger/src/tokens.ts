export const ACCOUNTS = Symbol('ledger.accounts');
export const ACCOUNTS_RELAY = Symbol('ledger.accountsRelay');
export const APPLY_OPTIONS = Symbol('ledger.applyOptions');
