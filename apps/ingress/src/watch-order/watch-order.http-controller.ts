import { Controller, Get, Inject, Logger, Param, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AcceptsQueryToken, CurrentPrincipal } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import type { Principal } from '../auth/principal';
import { orderNotFound } from '../orders/order-not-found';
import { OrderReadModel } from '../orders/order-read-model';
import { OrderEventStream } from './order-event-stream';
import { SseConnections } from './sse-connections';
import { alreadyFinished, parseLastEventId } from './sse-frames';

/**
 * GET /api/orders/{id}/events: Server-Sent Events, one `status` event per history entry.
 * Errors before the stream starts are ordinary JSON errors (401/404/429); after that the raw
 * socket is ours (Fastify's reply is hijacked).
 */
@Controller('api/orders')
@UseGuards(ApiGuard)
export class WatchOrderHttpController {
  private readonly logger = new Logger('watch-order');

  constructor(
    @Inject(OrderReadModel) private readonly readModel: OrderReadModel,
    @Inject(SseConnections) private readonly connections: SseConnections,
  ) {}

  @Get(':id/events')
  @AcceptsQueryToken()
  async watch(@Param('id') orderId: string, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    // Right after the 202 the order may exist only as accepted: the stream opens (200) and its
    // first event waits for the projection, so event i is always the view's history[i].
    const lookup = async () => {
      const found = await this.readModel.lookup(orderId, principal.sub);
      return found && (found.projected ? found.view : { ...found.view, history: [] });
    };
    const first = await lookup();
    if (!first) throw orderNotFound();
    const lastEventId = parseLastEventId(reply.request.headers['last-event-id']);
    if (alreadyFinished(first.history, lastEventId)) {
      // An EventSource reconnecting after the final status: 204 tells it to stop reconnecting.
      await reply.status(204).header('cache-control', 'no-store').send();
      return;
    }

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies that buffer responses (nginx) would hold the events back.
      'x-accel-buffering': 'no',
    });
    const stream = new OrderEventStream(
      {
        lookup,
        write: (chunk) => void raw.write(chunk),
        end: () => raw.end(),
        onError: (err) => this.logger.warn(`order ${orderId} stream: read model unavailable: ${String(err)}`),
      },
      lastEventId,
    );
    const forget = this.connections.add(stream);
    raw.once('close', () => {
      forget();
      stream.close();
    });
    stream.start();
  }
}
