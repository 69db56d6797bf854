import { z } from 'zod';
import { declareTopic, message } from './topic-declaration';

/**
 * The ledger: the messaging runtime's reference service. Each account (the key) applies
 * numbered entries; it exists to prove, under crashes and rebalances, that every command is
 * applied exactly once and in order per key, and to show how a service uses the inbox/outbox.
 */
export const LedgerCommands = declareTopic({
  name: 'ledger.commands',
  messages: {
    AppendEntry: message(
      'AppendEntry',
      1,
      z
        .object({
          account: z.string().min(1).max(64),
          seq: z.number().int().nonnegative(),
          amount: z.number().int(),
        })
        .strict(),
    ),
  },
});

export const LedgerEvents = declareTopic({
  name: 'ledger.events',
  messages: {
    EntryAppended: message(
      'EntryAppended',
      1,
      z
        .object({
          account: z.string(),
          seq: z.number().int().nonnegative(),
          amount: z.number().int(),
          balance: z.number().int(),
          commandId: z.string(),
        })
        .strict(),
    ),
  },
});
