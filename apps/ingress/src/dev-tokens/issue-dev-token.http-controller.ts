import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiError } from '@bulwark/platform';
import { Access } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import { signToken, type IssuedToken } from '../auth/jwt';
import type { IngressConfig } from '../config';
import { parseBody } from '../http/parse-body';
import { INGRESS_CONFIG } from '../tokens';
import { DevTokenRequest } from './dev-token.request';

/**
 * POST /api/dev/tokens: a 12-hour token for whoever asks, for the web page on the local stack.
 * Only with DEV_TOKENS=true (refused in production by config.ts); otherwise it does not exist (404).
 */
@Controller('api/dev/tokens')
@UseGuards(ApiGuard)
export class IssueDevTokenHttpController {
  constructor(@Inject(INGRESS_CONFIG) private readonly config: IngressConfig) {}

  @Post()
  @Access('public')
  @HttpCode(200)
  async issue(@Body() body: unknown): Promise<IssuedToken> {
    if (!this.config.DEV_TOKENS) throw new ApiError(404, 'BLW_NOT_FOUND', 'not found', false);
    const request = parseBody(DevTokenRequest, body);
    return signToken(this.config.JWT_SECRET, request);
  }
}
