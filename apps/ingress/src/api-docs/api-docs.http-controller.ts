import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from '@bulwark/platform';
import { sendStaticFile } from '../http/static-file';
import { openApiDocument } from './openapi-document';
import { SWAGGER_INITIALIZER_JS, SWAGGER_UI_FILES, SWAGGER_UI_HTML, swaggerUiPath } from './swagger-ui';

/** GET /api/docs (Swagger UI) and /api/docs/openapi.json: unauthenticated and not rate-limited. */
@Controller('api/docs')
export class ApiDocsHttpController {
  @Get()
  async ui(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .status(200)
      .headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
      .send(SWAGGER_UI_HTML);
  }

  @Get('openapi.json')
  document(): Record<string, unknown> {
    return openApiDocument();
  }

  @Get('swagger-initializer.js')
  async initializer(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .status(200)
      .headers({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
      .send(SWAGGER_INITIALIZER_JS);
  }

  @Get(':file')
  async asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    if (!SWAGGER_UI_FILES.has(file)) throw new ApiError(404, 'BLW_NOT_FOUND', 'not found', false);
    await sendStaticFile(reply, swaggerUiPath(file));
  }
}
