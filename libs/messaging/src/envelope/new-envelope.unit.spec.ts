import { envelopeSchema, message } from '@bulwark/contracts';
import { z } from 'zod';
import { causedBy, newEnvelope } from './new-envelope';

const Greeted = message('Greeted', 2, z.object({ name: z.string().trim().min(1), times: z.number().int() }).strict());

const at = (iso: string) => () => new Date(iso);
/** Hands out the given ids in order, so each envelope's id is known in advance. */
const ids =
  (...values: string[]) =>
  () => {
    const next = values.shift();
    if (!next) throw new Error('the test ran out of ids');
    return next;
  };

describe('newEnvelope', () => {
  it('fills the envelope from the declaration, the injected clock and the injected id', () => {
    const envelope = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 1 }, null, {
      now: at('2025-03-04T05:06:07.089Z'),
      id: ids('msg-1'),
    });

    expect(envelope).toEqual({
      type: 'Greeted',
      version: 2,
      id: 'msg-1',
      occurredAt: '2025-03-04T05:06:07.089Z',
      correlationId: 'msg-1',
      causationId: null,
      key: 'person-1',
      data: { name: 'Ada', times: 1 },
    });
  });

  it('carries the schema output, not the raw input, as data', () => {
    const envelope = newEnvelope(Greeted, 'person-1', { name: '  Ada  ', times: 1 });

    expect(envelope.data).toEqual({ name: 'Ada', times: 1 });
  });

  it.each([
    ['a missing field', { name: 'Ada' }, 'times'],
    ['a field of the wrong type', { name: 'Ada', times: 1.5 }, 'times'],
    ['a field failing its refinement', { name: '   ', times: 1 }, 'name'],
    ['an undeclared field', { name: 'Ada', times: 1, extra: true }, 'extra'],
  ])('rejects data with %s, naming the field', (_case, data, field) => {
    // Cast: the compiler would stop these at build time; the runtime check is what is tested.
    const build = () => newEnvelope(Greeted, 'person-1', data as z.input<typeof Greeted.schema>);

    expect(build).toThrow(expect.objectContaining({ code: 'BLW_INVALID_MESSAGE', retriable: false }));
    expect(build).toThrow(new RegExp(`fields: .*\\b${field}\\b`));
  });

  it('uses a fresh UUID and the current time when nothing is injected', () => {
    const before = Date.now();
    const first = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 1 });
    const second = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 1 });

    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.id).not.toBe(first.id);
    expect(Date.parse(first.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(first.occurredAt)).toBeLessThanOrEqual(Date.now());
  });

  it('builds an envelope the wire format accepts', () => {
    const envelope = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 1 }, null, { id: ids('msg-1') });

    expect(envelopeSchema.safeParse(envelope).error).toBeUndefined();
  });
});

describe('causedBy', () => {
  const deps = (id: string) => ({ id: ids(id), now: at('2025-03-04T05:06:07.089Z') });

  it('correlates a reaction with its cause and names the cause', () => {
    const cause = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 1 }, null, deps('cause-1'));

    const reaction = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 2 }, causedBy(cause), deps('reaction-1'));

    expect(causedBy(cause)).toEqual({ correlationId: 'cause-1', causationId: 'cause-1' });
    expect(reaction).toMatchObject({ id: 'reaction-1', correlationId: 'cause-1', causationId: 'cause-1' });
  });

  it('keeps the first message of a chain as its correlation id, and each direct cause as causation', () => {
    const root = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 1 }, null, deps('root'));
    const middle = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 2 }, causedBy(root), deps('middle'));

    const last = newEnvelope(Greeted, 'person-1', { name: 'Ada', times: 3 }, causedBy(middle), deps('last'));

    expect([root, middle, last].map((e) => [e.id, e.correlationId, e.causationId])).toEqual([
      ['root', 'root', null],
      ['middle', 'root', 'root'],
      ['last', 'root', 'middle'],
    ]);
  });
});

describe('newEnvelope envelope checks', () => {
  it.each([
    ['an empty key', '', {}],
    ['a key over 256 characters', 'k'.repeat(257), {}],
    ['an empty injected id', 'person-1', { id: () => '' }],
  ])('refuses to build an envelope consumers would reject: %s', (_case, key, deps) => {
    expect(() => newEnvelope(Greeted, key, { name: 'Ada', times: 1 }, null, deps)).toThrow(
      expect.objectContaining({ code: 'BLW_INVALID_MESSAGE' }),
    );
  });
});
