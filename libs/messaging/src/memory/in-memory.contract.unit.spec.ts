import { describePubSubContract } from '../../test/contract/pubsub.contract';
import { InMemoryBroker } from './in-memory-broker';
import { InMemoryPublisher } from './in-memory-publisher';
import { InMemorySubscriber } from './in-memory-subscriber';

describePubSubContract('in-memory', async () => {
  const broker = new InMemoryBroker();
  const subscribers: InMemorySubscriber[] = [];
  let topics = 0;
  return {
    publisher: new InMemoryPublisher(broker),
    newSubscriber: () => {
      const subscriber = new InMemorySubscriber(broker, { log: () => undefined });
      subscribers.push(subscriber);
      return subscriber;
    },
    createTopic: async (partitions, name = `contract.topic.${++topics}`) => {
      broker.createTopic(name, partitions);
      return name;
    },
    cleanup: async () => {
      await Promise.all(subscribers.map((s) => s.close()));
    },
  };
});
