import { EchoEvents, type DataOf, type EchoCommands, type Envelope } from '@bulwark/contracts';
import { causedBy, newEnvelope } from '@bulwark/messaging';

type Ping = Envelope<'Ping', DataOf<typeof EchoCommands.messages.Ping>>;

/** The wire's whole domain: every Ping is answered with a PingAnswered naming the replica. */
export function answerPing(command: Ping, replica: string, now: () => Date = () => new Date()) {
  return newEnvelope(
    EchoEvents.messages.PingAnswered,
    command.key,
    {
      pingId: command.data.pingId,
      text: command.data.text,
      answeredBy: `echo-${replica}`,
      answeredAt: now().toISOString(),
    },
    causedBy(command),
    { now },
  );
}
