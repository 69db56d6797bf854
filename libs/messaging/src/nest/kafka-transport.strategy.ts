import { Server, BaseRpcContext, EventPattern, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Envelope, TopicDeclaration } from '@bulwark/contracts';
import type { MessageContext, Middleware, Subscriber } from '../ports/subscriber.port';

/** What an @EventPattern handler receives as its context (@Ctx()). */
export class KafkaMessageContext extends BaseRpcContext<[MessageContext]> {
  getTopic(): string {
    return this.args[0].topic;
  }
  getPartition(): number {
    return this.args[0].partition;
  }
  getOffset(): string {
    return this.args[0].offset;
  }
  /** When the broker recorded the message (ISO 8601); see MessageContext.timestamp. */
  getTimestamp(): string {
    return this.args[0].timestamp;
  }
  /**
   * The envelope as of when the broker recorded it: `occurredAt` becomes the record time. A
   * decision's events take their cause's `occurredAt`, so each hop of a saga gets the moment
   * it really happened, and a replay (same log, same timestamps) the same moments again.
   */
  recorded<E extends { readonly occurredAt: string }>(envelope: E): E {
    return { ...envelope, occurredAt: this.args[0].timestamp };
  }
  getHeaders(): Readonly<Record<string, string>> {
    return this.args[0].headers;
  }
  getGroup(): string {
    return this.args[0].group;
  }
  getAttempt(): number {
    return this.args[0].attempt;
  }
  /** Fires when the partition is revoked or the consumer stops: stop waiting, give the message up. */
  getSignal(): AbortSignal {
    return this.args[0].signal;
  }
  heartbeat(): Promise<void> {
    return this.args[0].heartbeat();
  }
}

/**
 * @nestjs/microservices transport on top of libs/messaging: every @EventPattern(topic) of the
 * microservice is consumed by the one declared consumer group, used verbatim
 * (the stock ServerKafka appends "-server"). A handler's failure propagates, so the offset is
 * not committed and the message is delivered again.
 */
export class BulwarkKafkaTransport extends Server implements CustomTransportStrategy {
  constructor(
    private readonly subscriber: Subscriber,
    private readonly group: string,
    /** The pipeline around every handler, outermost first (see pipeline/default-pipeline.ts). */
    private readonly middleware: readonly Middleware[] = [],
  ) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const topics = [...this.messageHandlers.keys()];
      if (topics.length === 0) throw new Error(`consumer group ${this.group} has no @EventPattern handlers`);
      // One consumer for the group's topics: members of one group must share one subscription,
      // or kafkajs's assigner hands a member partitions of topics it did not subscribe to.
      await this.subscriber.subscribe({
        group: this.group,
        topics,
        middleware: this.middleware,
        handler: (envelope, context) => this.dispatch(context.topic, envelope, context),
      });
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    await this.subscriber.close();
  }

  on(): never {
    throw new Error('BulwarkKafkaTransport does not support event listeners; use health() instead');
  }

  unwrap<T>(): T {
    return this.subscriber as T;
  }

  private async dispatch(topic: string, envelope: Envelope, context: MessageContext): Promise<void> {
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const result: unknown = await handler(envelope, new KafkaMessageContext([context]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}

/** `@OnTopic(EchoCommands)`: an @EventPattern bound to a declared topic, never a string literal. */
export function OnTopic(topic: TopicDeclaration): MethodDecorator {
  return EventPattern<string>(topic.name);
}
