import type { z } from 'zod';
import { Body, Controller, HttpCode, Inject, Param, Put, UseGuards } from '@nestjs/common';
import { InventoryCommands, RestockRequest } from '@bulwark/contracts';
import { newEnvelope, PUBLISHER, type Publisher } from '@bulwark/messaging';
import { Access } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import type { IngressConfig } from '../config';
import { parseBody } from '../http/parse-body';
import { publishOr503 } from '../http/publish-or-503';
import { parseSku } from '../http/parse-sku';
import { INGRESS_CONFIG } from '../tokens';
import { RestockAccepted } from './restock-accepted';

/** PUT /api/inventory/{sku} (admin): sets the free units and the price; 202 once Kafka has the Restock. */
@Controller('api/inventory')
@UseGuards(ApiGuard)
export class RestockHttpController {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Put(':sku')
  @Access('admin')
  @HttpCode(202)
  async restock(@Param('sku') path: string, @Body() body: unknown): Promise<z.output<typeof RestockAccepted>> {
    const sku = parseSku(path);
    const request = parseBody(RestockRequest, body);
    // Keyed by SKU: inventory.commands is, so one replica applies a SKU's commands in order.
    const command = newEnvelope(InventoryCommands.messages.Restock, sku, { sku, ...request }, null);
    await publishOr503(this.publisher, InventoryCommands.name, command, this.config.PUBLISH_TIMEOUT_MS);
    return { sku, commandId: command.id };
  }
}
