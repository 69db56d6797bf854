import { z } from 'zod';
import { message } from '@bulwark/contracts';
import { deliveryOf, envelope } from '../../test/support/deliveries';
import { newEnvelope } from '../envelope/new-envelope';
import { createDelivery } from '../pipeline/delivery';
import { correlation, currentCausation } from './correlation.middleware';

const Answered = message('Answered', 1, z.object({}).strict());

describe('correlation', () => {
  it('makes the delivered message the current cause while the rest of the pipeline runs, and only then', async () => {
    let inside: unknown;
    await correlation()(async () => {
      await new Promise((r) => setTimeout(r, 1));
      inside = currentCausation();
    })(deliveryOf(envelope({ id: 'msg-7', correlationId: 'corr-3' })));

    expect(inside).toEqual({ correlationId: 'corr-3', causationId: 'msg-7' });
    expect(currentCausation()).toBeNull();
  });

  it('keeps concurrent deliveries apart', async () => {
    const seen: string[] = [];
    const next = correlation()(async (d) => {
      await new Promise((r) => setTimeout(r, d.envelope.id === 'first' ? 20 : 1));
      seen.push(`${d.envelope.id} caused ${currentCausation()?.causationId}`);
    });
    await Promise.all([next(deliveryOf(envelope({ id: 'first' }))), next(deliveryOf(envelope({ id: 'second' })))]);
    expect(seen).toEqual(['second caused second', 'first caused first']);
  });

  it('lets newEnvelope default to the message being handled; an explicit null starts a new correlation', async () => {
    const produced: ReturnType<typeof newEnvelope>[] = [];
    await correlation()(async () => {
      produced.push(newEnvelope(Answered, 'k', {}));
      produced.push(newEnvelope(Answered, 'k', {}, null));
    })(deliveryOf(envelope({ id: 'cmd-1', correlationId: 'req-9' })));

    expect(produced[0]).toMatchObject({ correlationId: 'req-9', causationId: 'cmd-1' });
    expect(produced[1]).toMatchObject({ correlationId: produced[1]?.id, causationId: null });
    expect(newEnvelope(Answered, 'k', {}).causationId).toBeNull();
  });

  it('passes a record that is not an envelope on, so the dead-letter middleware inside sees the decode error', async () => {
    let reached = false;
    const next = correlation()(async (d) => {
      reached = true;
      void d.envelope;
    });
    const result = next(
      createDelivery({ group: 'g', topic: 't', partition: 0, offset: '0', key: null, value: Buffer.from('nope'), headers: {} }),
    );
    await expect(result).rejects.toMatchObject({ code: 'BLW_INVALID_MESSAGE' });
    expect(reached).toBe(true);
  });
});
