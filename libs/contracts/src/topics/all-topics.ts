import { deadLetterTopic, ConsumerGroups } from '../groups';
import { EchoCommands, EchoEvents } from './echo.topics';
import { InventoryCommands, InventoryEvents, InventoryStock } from './inventory.topics';
import { LedgerCommands, LedgerEvents } from './ledger.topics';
import { OrdersCommands, OrdersEvents } from './orders.topics';
import { PaymentsCommands, PaymentsEvents } from './payments.topics';
import { declareTopic, type TopicDeclaration } from './topic-declaration';

const domainTopics: readonly TopicDeclaration[] = [
  EchoCommands,
  EchoEvents,
  LedgerCommands,
  LedgerEvents,
  OrdersCommands,
  OrdersEvents,
  InventoryCommands,
  InventoryEvents,
  InventoryStock,
  PaymentsCommands,
  PaymentsEvents,
];

/** Every topic the platform creates at start-up, dead-letter topics included. */
export const ALL_TOPICS: readonly TopicDeclaration[] = [
  ...domainTopics,
  ...Object.values(ConsumerGroups).map((group) => declareTopic({ name: deadLetterTopic(group), partitions: 3, messages: {} })),
];
