import { join } from 'node:path';
import { Controller, Get, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from '@bulwark/platform';
import { sendStaticFile } from '../http/static-file';
import { findWebRoot } from './web-root';

/** The page loads only its own files and talks only to this origin. */
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * GET / and its two files: the customer's web page (apps/ingress/web), unauthenticated. A
 * deployment without the folder still serves the API; only these routes answer 404.
 */
@Controller()
export class WebPageHttpController {
  private readonly root = findWebRoot();

  constructor() {
    if (!this.root) new Logger('web-page').warn('apps/ingress/web not found: GET / answers 404');
  }

  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    await sendStaticFile(reply, this.file('index.html'), { 'content-security-policy': CSP });
  }

  @Get('app.js')
  async script(@Res() reply: FastifyReply): Promise<void> {
    await sendStaticFile(reply, this.file('app.js'));
  }

  @Get('app.css')
  async style(@Res() reply: FastifyReply): Promise<void> {
    await sendStaticFile(reply, this.file('app.css'));
  }

  private file(name: string): string {
    if (!this.root) throw new ApiError(404, 'BLW_NOT_FOUND', 'the web page is not part of this deployment', false);
    return join(this.root, name);
  }
}
