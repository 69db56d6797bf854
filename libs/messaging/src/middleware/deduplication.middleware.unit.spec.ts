import { deliveryOf, envelope } from '../../test/support/deliveries';
import { InMemoryProcessedMessages } from '../memory/in-memory-processed-messages';
import type { ProcessedMessages } from '../ports/processed-messages.port';
import { deduplication } from './deduplication.middleware';

describe('deduplication', () => {
  it('runs the handler once per envelope id and group, recording the id after it succeeded', async () => {
    const processed = new InMemoryProcessedMessages();
    const handled: string[] = [];
    const next = deduplication({ processed })(async (d) => void handled.push(`${d.group} ${d.envelope.id} @${d.offset}`));

    await next(deliveryOf(envelope({ id: 'a' }), { offset: '1' }));
    await next(deliveryOf(envelope({ id: 'a' }), { offset: '2' }));
    await next(deliveryOf(envelope({ id: 'b' }), { offset: '3' }));

    expect(handled).toEqual(['test.group a @1', 'test.group b @3']);
    expect(await processed.has('test.group', 'a')).toBe(true);
  });

  it('keeps groups apart: another group still processes the same id', async () => {
    const processed = new InMemoryProcessedMessages();
    await processed.add('other.group', 'a');
    const handled: string[] = [];
    await deduplication({ processed })(async (d) => void handled.push(d.envelope.id))(deliveryOf(envelope({ id: 'a' })));
    expect(handled).toEqual(['a']);
  });

  it('does not record a message whose handler failed, so its redelivery runs again', async () => {
    const processed = new InMemoryProcessedMessages();
    let calls = 0;
    const next = deduplication({ processed })(async () => {
      if (++calls === 1) throw new Error('store down');
    });

    await expect(next(deliveryOf(envelope({ id: 'a' })))).rejects.toThrow('store down');
    expect(await processed.has('test.group', 'a')).toBe(false);
    await next(deliveryOf(envelope({ id: 'a' })));
    expect(calls).toBe(2);
  });

  it('fails the delivery when the id cannot be recorded, instead of hiding it', async () => {
    const failing: ProcessedMessages = {
      has: async () => false,
      add: async () => {
        throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
      },
    };
    await expect(deduplication({ processed: failing })(async () => undefined)(deliveryOf(envelope()))).rejects.toThrow(
      'connection reset',
    );
  });

  it('refuses options without a usable ProcessedMessages', () => {
    expect(() => deduplication({ processed: { has: async () => false } as never })).toThrow(
      /deduplication options are invalid \(processed: expected an object with has\(\), add\(\)\)/,
    );
  });
});
