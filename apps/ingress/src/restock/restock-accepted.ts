import { z } from 'zod';
import { sku } from '@bulwark/contracts';

/** PUT /api/inventory/{sku} answer: the Restock command is durable in Kafka. */
export const RestockAccepted = z.object({ sku, commandId: z.uuid() });
