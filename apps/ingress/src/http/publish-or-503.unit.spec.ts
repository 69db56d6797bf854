import { newEnvelope, MessagingError, type Publisher } from '@bulwark/messaging';
import { EchoCommands } from '@bulwark/contracts';
import { ApiError } from '@bulwark/platform';
import { publishOr503 } from './publish-or-503';

const failingWith = (err: unknown): Publisher => ({
  publish: () => Promise.reject(err),
});
const command = newEnvelope(EchoCommands.messages.Ping, 'k', { pingId: '00000000-0000-4000-8000-000000000000', text: 'x' });

describe('publishOr503', () => {
  it.each([
    ['a broker refusal', new MessagingError('BLW_BROKER_UNAVAILABLE', 'NOT_ENOUGH_REPLICAS', true)],
    ['a deadline with no answer', new MessagingError('BLW_PUBLISH_TIMEOUT', 'no ack within 8000 ms', true)],
  ])('answers %s with 503 BLW_BROKER_UNAVAILABLE and Retry-After', async (_what, err) => {
    const answer = await publishOr503(failingWith(err), EchoCommands.name, command, 100).catch((e: unknown) => e);
    expect(answer).toBeInstanceOf(ApiError);
    expect(answer).toMatchObject({
      status: 503,
      code: 'BLW_BROKER_UNAVAILABLE',
      retriable: true,
      headers: { 'retry-after': '5' },
    });
    expect((answer as ApiError).message).toContain(err.code);
  });

  it('answers a permanent refusal with 500 and its code', async () => {
    const err = new MessagingError('BLW_PUBLISH_REJECTED', 'message too large', false);
    const answer = await publishOr503(failingWith(err), EchoCommands.name, command, 100).catch((e: unknown) => e);
    expect(answer).toMatchObject({ status: 500, code: 'BLW_PUBLISH_REJECTED', retriable: false });
  });

  it('resolves when the publish is acknowledged', async () => {
    const sent: unknown[] = [];
    const ok: Publisher = { publish: async (_t, messages) => void sent.push(...messages) };
    await publishOr503(ok, EchoCommands.name, command, 100);
    expect(sent).toEqual([command]);
  });
});
