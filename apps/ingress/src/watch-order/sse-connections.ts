import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { OrderEventStream } from './order-event-stream';

/**
 * The streams this replica is serving. On shutdown they are ended first: an open stream would
 * keep the HTTP server from closing; the clients reconnect (Last-Event-ID) to another replica.
 */
@Injectable()
export class SseConnections implements BeforeApplicationShutdown {
  private readonly streams = new Set<OrderEventStream>();

  add(stream: OrderEventStream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  get size(): number {
    return this.streams.size;
  }

  beforeApplicationShutdown(): void {
    for (const stream of this.streams) stream.close();
    this.streams.clear();
  }
}
