import { KeyedLock, writerLock } from './writer-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in the order it arrived', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = lock.run('k', async () => {
      log.push('first:start');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push('first:end');
    });
    const second = lock.run('k', async () => {
      log.push('second');
    });
    await tick();
    expect(log).toEqual(['first:start']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first:start', 'first:end', 'second']);
    expect(lock.size).toBe(0);
  });

  it('lets other keys run meanwhile, and a failure releases the key', async () => {
    const lock = new KeyedLock();
    let releaseA: () => void = () => undefined;
    const a = lock.run('a', () => new Promise<void>((resolve) => (releaseA = resolve)));
    await expect(lock.run('b', async () => 'b done')).resolves.toBe('b done');
    releaseA();
    await a;
    await expect(lock.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('a', async () => 'after')).resolves.toBe('after');
  });

  it('is one lock per collection namespace', () => {
    expect(writerLock('db.accounts')).toBe(writerLock('db.accounts'));
    expect(writerLock('db.accounts')).not.toBe(writerLock('db.orders'));
  });
});
