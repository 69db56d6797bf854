import { LedgerCommands } from '@bulwark/contracts';
import { newEnvelope } from '@bulwark/messaging';
import { appendEntry, LedgerErrors, type AppendEntry } from './append-entry.decide';

const command = (seq: number, amount: number, id = `cmd-${seq}`): AppendEntry =>
  newEnvelope(LedgerCommands.messages.AppendEntry, 'acct-1', { account: 'acct-1', seq, amount }, null, {
    id: () => id,
    now: () => new Date('2026-01-01T00:00:00.000Z'),
  });

describe('appendEntry', () => {
  it('given no account, when an entry is appended, then the balance and history start with it', () => {
    const { state, events } = appendEntry(null, command(0, 50));
    expect(state).toEqual({ balance: 50, entries: [{ seq: 0, amount: 50 }] });
    expect(events).toHaveLength(1);
    expect(events[0]?.envelope).toMatchObject({
      type: 'EntryAppended',
      key: 'acct-1',
      data: { account: 'acct-1', seq: 0, amount: 50, balance: 50, commandId: 'cmd-0' },
      correlationId: 'cmd-0',
      causationId: 'cmd-0',
    });
  });

  it('given a balance, when a debit would take it below zero, then it fails permanently with a code', () => {
    const { state } = appendEntry(null, command(0, 10));
    expect(() => appendEntry(state, command(1, -11))).toThrow(
      expect.objectContaining({ code: LedgerErrors.insufficientFunds, retriable: false }),
    );
  });

  it('derives the event from the command, so a replay produces byte-identical events', () => {
    const a = appendEntry(null, command(0, 5, 'same'));
    const b = appendEntry(null, command(0, 5, 'same'));
    const c = appendEntry(null, command(0, 5, 'other'));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.events[0]?.envelope.id).not.toBe(c.events[0]?.envelope.id);
    expect(a.events[0]?.envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
