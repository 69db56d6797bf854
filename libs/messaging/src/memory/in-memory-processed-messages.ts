import type { ProcessedMessages } from '../ports/processed-messages.port';

/**
 * ProcessedMessages in a Set, FOR TESTS ONLY: dedupe state in process memory vanishes with the
 * process it was meant to protect (STYLE.md). Production uses MongoProcessedMessages.
 */
export class InMemoryProcessedMessages implements ProcessedMessages {
  private readonly ids = new Set<string>();

  async has(group: string, messageId: string): Promise<boolean> {
    return this.ids.has(`${group}:${messageId}`);
  }

  async add(group: string, messageId: string): Promise<void> {
    this.ids.add(`${group}:${messageId}`);
  }
}
