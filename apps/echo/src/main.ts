import 'reflect-metadata';
import { ConsumerGroups, EchoCommands } from '@bulwark/contracts';
import { exitOnFailure, runApp } from '@bulwark/platform';
import { loadConfig } from './config';
import { EchoModule } from './echo.module';

const config = loadConfig();
runApp({
  name: 'echo',
  config,
  module: ({ runtime }) => EchoModule.register({ publisher: runtime.publisher, replica: config.BULWARK_REPLICA }),
  consumer: { group: ConsumerGroups.echo, topics: [EchoCommands] },
}).catch(exitOnFailure);
