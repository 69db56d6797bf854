import { z } from 'zod';

/** POST /api/wire/pings body; unknown fields are rejected. */
export const sendPingRequest = z.object({ text: z.string().min(1).max(200) }).strict();
export type SendPingRequest = z.output<typeof sendPingRequest>;
