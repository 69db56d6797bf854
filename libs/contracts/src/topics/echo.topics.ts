import { z } from 'zod';
import { declareTopic, message } from './topic-declaration';

/**
 * The thin end-to-end wire (foundation issue): the ingress sends Ping commands, the echo
 * service answers with PingAnswered events, the ingress projects them into its read model.
 * It proves the plumbing; the order saga replaces it as the reference domain.
 */
export const EchoCommands = declareTopic({
  name: 'echo.commands',
  messages: {
    Ping: message('Ping', 1, z.object({ pingId: z.uuid(), text: z.string().max(200) }).strict()),
  },
});

export const EchoEvents = declareTopic({
  name: 'echo.events',
  messages: {
    PingAnswered: message(
      'PingAnswered',
      1,
      z
        .object({
          pingId: z.uuid(),
          text: z.string(),
          answeredBy: z.string(),
          answeredAt: z.iso.datetime({ offset: true }),
        })
        .strict(),
    ),
  },
});
