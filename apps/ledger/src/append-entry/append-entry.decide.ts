import { createHash } from 'node:crypto';
import { LedgerEvents, type DataOf, type Envelope, type LedgerCommands } from '@bulwark/contracts';
import { causedBy, newEnvelope, PermanentError, type OutboxEntry } from '@bulwark/messaging';
import { emptyAccount, type AccountState } from '../account/account-state';

export type AppendEntry = Envelope<'AppendEntry', DataOf<typeof LedgerCommands.messages.AppendEntry>>;

export const LedgerErrors = {
  insufficientFunds: 'LEDGER_INSUFFICIENT_FUNDS',
} as const;

/**
 * decide: the whole business rule of the ledger, as a pure function of the state and the
 * command. A debit that would take the balance below zero is a permanent failure (it would
 * fail the same way on every retry), so it is dead-lettered rather than retried.
 * The event's id and time derive from the command, so replaying the commands rebuilds the
 * same state and the same events (consumers of ledger.events dedupe replays for free).
 */
export function appendEntry(state: AccountState | null, command: AppendEntry): { state: AccountState; events: OutboxEntry[] } {
  const current = state ?? emptyAccount;
  const balance = current.balance + command.data.amount;
  if (balance < 0) {
    throw new PermanentError(
      LedgerErrors.insufficientFunds,
      `account ${command.data.account}: entry ${command.data.seq} of ${command.data.amount} would leave ${balance}`,
    );
  }
  const next: AccountState = {
    balance,
    entries: [...current.entries, { seq: command.data.seq, amount: command.data.amount }],
  };
  const event = newEnvelope(
    LedgerEvents.messages.EntryAppended,
    command.key,
    { account: command.data.account, seq: command.data.seq, amount: command.data.amount, balance, commandId: command.id },
    causedBy(command),
    { id: () => derivedId(command.id, 'EntryAppended'), now: () => new Date(command.occurredAt) },
  );
  return { state: next, events: [{ topic: LedgerEvents.name, envelope: event, headers: {} }] };
}

/** A stable UUID-shaped id for the event a command causes (same command -> same event id). */
function derivedId(causeId: string, type: string): string {
  const h = createHash('sha256').update(`${causeId}/${type}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
