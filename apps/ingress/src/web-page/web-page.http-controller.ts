import { join } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sendStaticFile } from '../http/static-file';
import { findWebRoot } from './web-root';

/** The page loads only its own files and talks only to this origin. */
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** GET / and its two files: the customer's web page (apps/ingress/web), unauthenticated. */
@Controller()
export class WebPageHttpController {
  private readonly root = findWebRoot();

  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    await sendStaticFile(reply, join(this.root, 'index.html'), { 'content-security-policy': CSP });
  }

  @Get('app.js')
  async script(@Res() reply: FastifyReply): Promise<void> {
    await sendStaticFile(reply, join(this.root, 'app.js'));
  }

  @Get('app.css')
  async style(@Res() reply: FastifyReply): Promise<void> {
    await sendStaticFile(reply, join(this.root, 'app.css'));
  }
}
