import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IdempotencyStore } from './idempotency-store';

/** Often enough to keep the collection near one day of keys; every replica sweeps (deletes are idempotent). */
const SWEEP_EVERY_MS = 15 * 60_000;

/** Deletes expired idempotency records: FerretDB has no TTL indexes. */
@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('idempotency-sweeper');
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(IdempotencyStore) private readonly store: IdempotencyStore) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.store.deleteExpired().catch((err: unknown) => this.logger.warn(`sweep failed (next one retries): ${String(err)}`));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
