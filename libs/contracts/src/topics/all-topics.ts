import { deadLetterTopic, ConsumerGroups } from '../groups';
import { EchoCommands, EchoEvents } from './echo.topics';
import { LedgerCommands, LedgerEvents } from './ledger.topics';
import { declareTopic, type TopicDeclaration } from './topic-declaration';

const domainTopics: readonly TopicDeclaration[] = [EchoCommands, EchoEvents, LedgerCommands, LedgerEvents];

/** Every topic the platform creates at start-up, dead-letter topics included. */
export const ALL_TOPICS: readonly TopicDeclaration[] = [
  ...domainTopics,
  ...Object.values(ConsumerGroups).map((group) => declareTopic({ name: deadLetterTopic(group), partitions: 3, messages: {} })),
];
