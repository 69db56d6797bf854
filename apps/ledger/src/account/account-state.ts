/**
 * One entry as the ledger applied it; deterministic, so a replay rebuilds identical state.
 * Kept small on purpose: the whole account document is rewritten on every entry.
 */
export interface LedgerEntry {
  readonly seq: number;
  readonly amount: number;
}

/** An account: its balance and the entries in the order they were applied. */
export interface AccountState {
  readonly balance: number;
  readonly entries: readonly LedgerEntry[];
}

export const emptyAccount: AccountState = { balance: 0, entries: [] };
