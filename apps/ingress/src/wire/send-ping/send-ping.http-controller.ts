import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { EchoCommands } from '@bulwark/contracts';
import { newEnvelope, PUBLISHER, type Publisher } from '@bulwark/messaging';
import { parseBody } from '../../http/parse-body';
import { publishOr503 } from '../../http/publish-or-503';
import { INGRESS_CONFIG } from '../../tokens';
import type { IngressConfig } from '../../config';
import { sendPingRequest } from './send-ping.request';

/** 202 only after Kafka acknowledged the Ping with acks=all; 503 + Retry-After when it could not. */
@Controller('api/wire/pings')
export class SendPingHttpController {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Post()
  @HttpCode(202)
  async send(@Body() body: unknown) {
    const request = parseBody(sendPingRequest, body);
    const pingId = randomUUID();
    const command = newEnvelope(EchoCommands.messages.Ping, pingId, { pingId, text: request.text });
    await publishOr503(this.publisher, EchoCommands.name, command, this.config.PUBLISH_TIMEOUT_MS);
    return { pingId, commandId: command.id, links: { self: `/api/wire/pings/${pingId}` } };
  }
}
