import { ApiError } from '@bulwark/platform';
import { busyAs503, isStoreBusy, retryWhileBusy, transientWhileBusy } from './store-busy';

/** What FerretDB 1.24's SQLite backend answers when a write waited past its busy timeout. */
const busy = () =>
  Object.assign(
    new Error('[msg_update.go:133 handler.(*Handler).updateDocument] [collection.go:177] database is locked (5) (SQLITE_BUSY)'),
    { name: 'MongoServerError' },
  );

describe('a busy FerretDB (SQLITE_BUSY under a burst of writes)', () => {
  it('is recognised by its message, and nothing else is', () => {
    expect(isStoreBusy(busy())).toBe(true);
    expect(isStoreBusy(new Error('E11000 duplicate key'))).toBe(false);
    expect(isStoreBusy(null)).toBe(false);
  });

  it('is retried until the write goes through', async () => {
    let calls = 0;
    const result = await retryWhileBusy(async () => {
      if (++calls < 4) throw busy();
      return 'written';
    });
    expect({ result, calls }).toEqual({ result: 'written', calls: 4 });
  });

  it('is given up after the budget, and other errors are not retried at all', async () => {
    let calls = 0;
    await expect(
      retryWhileBusy(async () => {
        calls++;
        throw busy();
      }, 100),
    ).rejects.toThrow(/SQLITE_BUSY/);
    expect(calls).toBeGreaterThan(1);

    let other = 0;
    await expect(
      retryWhileBusy(async () => {
        other++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(other).toBe(1);
  });

  it('becomes a 503 BLW_STORE_BUSY with Retry-After for HTTP, and a transient error for consumers', async () => {
    const mapped = busyAs503(busy());
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped).toMatchObject({ status: 503, code: 'BLW_STORE_BUSY', retriable: true, headers: { 'retry-after': '1' } });
    const other = new Error('boom');
    expect(busyAs503(other)).toBe(other);

    await expect(
      transientWhileBusy(async () => {
        throw busy();
      }, 100),
    ).rejects.toMatchObject({ code: 'BLW_STORE_BUSY', retriable: true });
  });
});
