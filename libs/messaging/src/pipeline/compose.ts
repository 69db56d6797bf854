import type { Delivery, MessageHandler, Middleware, Next } from '../ports/subscriber.port';

/** The handler at the end of the pipeline: decode (may throw a permanent error), then call it. */
export function handlerStep(handler: MessageHandler): Next {
  return (delivery: Delivery) => handler(delivery.envelope, delivery);
}

/** compose([a, b, c], h) runs a(b(c(h))): the first middleware is the outermost. */
export function compose(middleware: readonly Middleware[], handler: MessageHandler): Next {
  return middleware.reduceRight<Next>((next, mw) => mw(next), handlerStep(handler));
}
