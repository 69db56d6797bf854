import { decideIdempotency } from './idempotency.decide';
import type { IdempotencyRecord, StoredResponse } from './idempotency-record';
import { canonicalJson, requestFingerprint } from './request-fingerprint';
import { parseIdempotencyKey } from './idempotency-key';

const response: StoredResponse = { status: 202, body: { orderId: 'o-1' }, location: '/api/orders/o-1' };
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  _id: 'alice:key-1',
  generation: 1,
  fingerprint: 'fp-1',
  state: 'in-flight',
  orderId: 'o-1',
  commandId: 'c-1',
  commandAt: at(0).toISOString(),
  startedAt: at(0).toISOString(),
  expiresAt: at(86_400_000).toISOString(),
  ...overrides,
});

describe('decideIdempotency (draft-ietf-httpapi-idempotency-key-header, ADR 0005)', () => {
  it('given no record, when a request comes, then it is processed', () => {
    expect(decideIdempotency(null, 'fp-1', at(0))).toEqual({ kind: 'create' });
  });

  it('given a completed first request, when the same body comes again, then its response is replayed', () => {
    expect(decideIdempotency(record({ state: 'completed', response }), 'fp-1', at(5000))).toEqual({ kind: 'replay', response });
  });

  it('given any record, when another body comes with the key, then it is a reused key (422)', () => {
    expect(decideIdempotency(record({ state: 'completed', response }), 'fp-2', at(1))).toEqual({ kind: 'mismatch' });
    expect(decideIdempotency(record(), 'fp-2', at(1))).toEqual({ kind: 'mismatch' });
  });

  it('given a first request still in flight, when the same body comes, then 409 until 30 s have passed', () => {
    expect(decideIdempotency(record(), 'fp-1', at(29_999))).toEqual({ kind: 'in-flight' });
    expect(decideIdempotency(record(), 'fp-1', at(30_001))).toEqual({ kind: 'take-over', reuseCommand: true });
  });

  it('given a failed attempt (Kafka refused), then a retry may proceed, reusing the command only for the same body', () => {
    expect(decideIdempotency(record({ state: 'failed' }), 'fp-1', at(1))).toEqual({ kind: 'take-over', reuseCommand: true });
    expect(decideIdempotency(record({ state: 'failed' }), 'fp-2', at(1))).toEqual({ kind: 'take-over', reuseCommand: false });
  });

  it('given an expired record, then the key starts afresh, whatever the body', () => {
    const expired = record({ state: 'completed', response });
    expect(decideIdempotency(expired, 'fp-1', at(86_400_000))).toEqual({ kind: 'take-over', reuseCommand: false });
    expect(decideIdempotency(expired, 'fp-2', at(86_400_001))).toEqual({ kind: 'take-over', reuseCommand: false });
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same JSON whatever the order of its keys', () => {
    const a = { lines: [{ sku: 'A', quantity: 1 }], payment: { cardNumber: '4111111111111111' } };
    const b = { payment: { cardNumber: '4111111111111111' }, lines: [{ quantity: 1, sku: 'A' }] };
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
    expect(requestFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when any value or the order of an array differs', () => {
    const base = {
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    };
    expect(requestFingerprint(base)).not.toBe(
      requestFingerprint({
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
      }),
    );
    expect(requestFingerprint(base)).not.toBe(
      requestFingerprint({
        lines: [
          { sku: 'B', quantity: 1 },
          { sku: 'A', quantity: 1 },
        ],
      }),
    );
  });

  it('writes canonical JSON (sorted keys, no undefined)', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts 1..255 printable ASCII characters', () => {
    expect(parseIdempotencyKey('0f8e6b0c-3f0e-4a57-9a39-6c0c8b7d2a11')).toBe('0f8e6b0c-3f0e-4a57-9a39-6c0c8b7d2a11');
    expect(parseIdempotencyKey('x'.repeat(255))).toHaveLength(255);
  });

  it('answers 400 BLW_IDEMPOTENCY_KEY_MISSING without one', () => {
    expect(() => parseIdempotencyKey(undefined)).toThrow(
      expect.objectContaining({ status: 400, code: 'BLW_IDEMPOTENCY_KEY_MISSING' }),
    );
    expect(() => parseIdempotencyKey('')).toThrow(expect.objectContaining({ code: 'BLW_IDEMPOTENCY_KEY_MISSING' }));
  });

  it('answers 400 BLW_VALIDATION_FAILED for a key too long or not printable ASCII', () => {
    for (const bad of ['x'.repeat(256), 'tab\there', 'é', ['a', 'b']]) {
      expect(() => parseIdempotencyKey(bad)).toThrow(expect.objectContaining({ status: 400, code: 'BLW_VALIDATION_FAILED' }));
    }
  });
});
