import { Controller, Get, Module, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from './create-http-app';
import { RouteTable } from './route-table';

@Controller('api/things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string) {
    return { id };
  }

  @Post(':id/archive')
  archive(@Param('id') id: string) {
    return { archived: id };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('RouteTable', () => {
  it('matches parameters as one segment and wildcards as the rest', () => {
    const table = new RouteTable();
    table.add(['GET'], '/api/things/:id');
    table.add(['put', 'DELETE'], '/api/things/:id');
    table.add(['GET'], '/static/*');

    expect(table.allowed('/api/things/42?x=1')).toEqual(['DELETE', 'GET', 'PUT']);
    expect(table.allowed('/api/things/42/more')).toEqual([]);
    expect(table.allowed('/api/things')).toEqual([]);
    expect(table.allowed('/static/a/b.js')).toEqual(['GET']);
    expect(table.allowed('/api/things.42')).toEqual([]);
  });
});

describe('a known path asked with another method', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createHttpApp(ThingsModule);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('is 405 with Allow listing the served methods and a machine-readable code', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/things/7' });

    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json()).toEqual({
      error: { code: 'BLW_METHOD_NOT_ALLOWED', message: expect.stringContaining('DELETE') as string, retriable: false },
    });
  });

  it('is 405 also for a method Fastify parses a body for, sent without one (QUERY)', async () => {
    const res = await app.inject({ method: 'QUERY' as 'GET', url: '/api/things/7' });

    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('leaves unknown paths at 404 and served methods untouched', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/api/nothing' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/things/7/archive' })).headers.allow).toBe('POST');
    expect((await app.inject({ method: 'GET', url: '/api/things/7' })).json()).toEqual({ id: '7' });
  });
});
