/**
 * Consumer group ids, declared once. WARNING: renaming a group makes Kafka treat it as a new
 * group: it starts from its reset policy and reprocesses (or skips) everything. Never rename
 * casually and never derive ids at run time.
 */
export const ConsumerGroups = {
  echo: 'echo',
  ledger: 'ledger',
  ingressProjection: 'ingress.projection',
  orders: 'orders',
  inventory: 'inventory',
  payments: 'payments',
} as const;

export type ConsumerGroupId = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

/** Where a group's permanently failing messages go (ARCHITECTURE.md, guarantee 4). */
export function deadLetterTopic(group: string): string {
  return `${group}.dlq`;
}
