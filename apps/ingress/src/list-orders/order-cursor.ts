import { z } from 'zod';
import { orderId } from '@bulwark/contracts';

/** Position after the last order of a page: lists are ordered by (placedAt, orderId), newest first. */
export interface OrderCursor {
  readonly placedAt: string;
  readonly orderId: string;
}

const cursorSchema = z.object({ p: z.iso.datetime(), i: orderId }).strict();

/** Opaque to clients (base64url of JSON) so its contents can change without breaking them. */
export function encodeCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify({ p: cursor.placedAt, i: cursor.orderId }), 'utf8').toString('base64url');
}

/** null for anything this server did not produce (the caller answers 400). */
export function decodeCursor(text: string): OrderCursor | null {
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { placedAt: parsed.data.p, orderId: parsed.data.i } : null;
  } catch {
    return null;
  }
}
