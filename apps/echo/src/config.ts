import type { z } from 'zod';
import { baseAppConfig, parseConfig } from '@bulwark/platform';

const schema = baseAppConfig(3100);

export type EchoConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): EchoConfig => parseConfig(schema, env);
