/**
 * Serialises the writes one process makes to one aggregate document. FerretDB 1.24 executes
 * every update as read, modify in Go, write back, with nothing in between held: two updates of
 * one document in flight at once lose one of them (measured: 500 concurrent `$inc` next to
 * `$push`/`$pullAll` on one document left 392). So on that store an aggregate may only ever
 * have one write in flight. Across processes the Kafka partition gives that; inside one process
 * a timed-out handler still writing, the next attempt of the same message and the relay's
 * clean-up could overlap, hence this lock. On MongoDB it costs nothing that matters and saves
 * compare-and-set conflicts.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a write in flight or waiting (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}

const locks = new Map<string, KeyedLock>();

/**
 * The one lock per collection namespace in this process, shared by applyOnce and OutboxRelay
 * without wiring: any code that writes an aggregate document goes through it.
 */
export function writerLock(namespace: string): KeyedLock {
  let lock = locks.get(namespace);
  if (!lock) {
    lock = new KeyedLock();
    locks.set(namespace, lock);
  }
  return lock;
}
