import { MongoServerError } from 'mongodb';
import { classifyFailure, PermanentError, TransientError } from './handler-errors';

describe('classifyFailure', () => {
  it('follows an explicit retriable flag', () => {
    expect(classifyFailure(new TransientError('BROKER', 'down'))).toBe('transient');
    expect(classifyFailure(new PermanentError('RULE', 'no'))).toBe('permanent');
  });

  it('treats a busy store as transient: the write lands a moment later, it must never be dead-lettered', () => {
    // What FerretDB over SQLite answers when another connection holds the write lock.
    const busy = new MongoServerError({
      message: '[collection.go:177 sqlite.(*collection).UpdateAll.func1] database is locked (5) (SQLITE_BUSY)',
      code: 1,
    });
    expect(classifyFailure(busy)).toBe('transient');
    expect(classifyFailure(new MongoServerError({ message: 'write conflict', codeName: 'WriteConflict', code: 112 }))).toBe(
      'transient',
    );
    // Wrapped by mongoose or our own code: the cause decides.
    expect(classifyFailure(new Error('save failed', { cause: busy }))).toBe('transient');
  });

  it('leaves other store errors unknown (retried a few times, then dead-lettered)', () => {
    expect(classifyFailure(new MongoServerError({ message: 'unknown operator: $foo', code: 2 }))).toBe('unknown');
  });
});
