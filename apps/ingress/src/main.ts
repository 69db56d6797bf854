import 'reflect-metadata';
import { ConsumerGroups, EchoEvents, InventoryStock, OrdersEvents } from '@bulwark/contracts';
import { exitOnFailure, runApp } from '@bulwark/platform';
import { loadConfig } from './config';
import { IngressModule } from './ingress.module';

// Readiness does not include "all brokers up": with one broker down the ingress still serves,
// and when Kafka cannot take a command the client gets 503 + Retry-After from the endpoint.
const config = loadConfig();
runApp({
  name: 'ingress',
  config,
  module: ({ runtime, mongo }) => IngressModule.register({ config, publisher: runtime.publisher, mongo }),
  // One group for every projection: WARNING, this is the group the wire projection has always
  // used; renaming it, or splitting it per topic, would reprocess (or skip) everything.
  consumer: { group: ConsumerGroups.ingressProjection, topics: [EchoEvents, OrdersEvents, InventoryStock] },
  http: { jsonOnly: true, bodyLimitBytes: config.BODY_LIMIT_BYTES },
}).catch(exitOnFailure);
