import { z } from 'zod';
import type { OrderCursor } from './order-cursor';
import { decodeCursor } from './order-cursor';

/** GET /api/orders query: `limit` 1..100 (default 20) and the opaque `cursor` of the previous page. */
export const listOrdersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .optional()
      .transform((text, ctx): OrderCursor | undefined => {
        if (text === undefined) return undefined;
        const cursor = decodeCursor(text);
        if (!cursor) ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' });
        return cursor ?? undefined;
      }),
  })
  // Other query parameters (a cache-buster, say) are harmless on a read.
  .loose();
