import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { ApiError } from '@bulwark/platform';
import { PINGS_COLLECTION } from '../../tokens';
import type { PingView } from '../ping-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 200 once the answer reached the read model; 404 until then (any replica can answer). */
@Controller('api/wire/pings')
export class GetPingHttpController {
  constructor(@Inject(PINGS_COLLECTION) private readonly pings: Collection<PingView>) {}

  @Get(':id')
  async get(@Param('id') id: string) {
    if (!UUID.test(id))
      throw new ApiError(400, 'BLW_VALIDATION_FAILED', 'ping id must be a UUID', false, { fields: [{ path: 'id' }] });
    const view = await this.pings.findOne({ _id: id });
    if (!view) throw new ApiError(404, 'BLW_NOT_FOUND', `no answered ping ${id} (yet)`, false);
    return { pingId: view._id, status: 'answered', text: view.text, answeredBy: view.answeredBy, answeredAt: view.answeredAt };
  }
}
