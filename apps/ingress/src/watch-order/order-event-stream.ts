import type { OrderView } from '@bulwark/contracts';
import { READ_MODEL_POLL_MS } from '../orders/order-read-model';
import { framesAfter, heartbeatFrame, retryFrame, SSE_HEARTBEAT_MS } from './sse-frames';

export interface OrderEventStreamDeps {
  /** The order as the read model has it now; null once it is gone (its command was refused). */
  readonly lookup: () => Promise<OrderView | null>;
  readonly write: (chunk: string) => void;
  readonly end: () => void;
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * One client's live view of one order: polls the read model (so it works on whichever replica
 * the client reached), sends each new history entry once, ends after a final status, and
 * stops all work as soon as it is closed (client gone, or the server shutting down).
 */
export class OrderEventStream {
  private closed = false;
  private poll: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastSent: number;

  constructor(
    private readonly deps: OrderEventStreamDeps,
    lastEventId: number,
  ) {
    this.lastSent = lastEventId;
  }

  start(): void {
    this.deps.write(retryFrame());
    this.heartbeat = setInterval(() => this.deps.write(heartbeatFrame()), this.deps.heartbeatMs ?? SSE_HEARTBEAT_MS);
    void this.tick();
  }

  /** Idempotent; after it nothing is written and no timer is left. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.poll);
    clearInterval(this.heartbeat);
    this.deps.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    let view: OrderView | null;
    try {
      view = await this.deps.lookup();
    } catch (err) {
      // A store hiccup: keep the stream, look again next time.
      this.deps.onError?.(err);
      this.schedule();
      return;
    }
    if (this.closed) return;
    if (!view) return this.close();
    const next = framesAfter(view.history, this.lastSent);
    for (const frame of next.frames) this.deps.write(frame);
    this.lastSent = next.lastSent;
    if (next.done) return this.close();
    this.schedule();
  }

  private schedule(): void {
    this.poll = setTimeout(() => void this.tick(), this.deps.pollMs ?? READ_MODEL_POLL_MS);
  }
}
