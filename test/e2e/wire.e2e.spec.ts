import { postJson, stack, supervisor } from '../support/stack';
import { wireRoundTrip } from '../support/wire';

describe('the thin wire through HAProxy', () => {
  it('round-trips a ping: ingress -> echo.commands -> echo -> echo.events -> projection -> read model', async () => {
    const { pingId, answer } = await wireRoundTrip('hello wire');
    expect(answer).toMatchObject({ pingId, text: 'hello wire', status: 'answered' });
    expect(answer.answeredBy).toMatch(/^echo-\d+$/);
  });

  it('answers reads for the same ping from every ingress replica (shared read model)', async () => {
    const { pingId } = await wireRoundTrip('any replica');
    const { processes } = await supervisor.status();
    const ingress = processes.filter((p) => p.name.startsWith('ingress-') && p.state === 'ready');
    expect(ingress.length).toBeGreaterThanOrEqual(2);
    // HAProxy balances round robin: repeated reads land on each replica; all must find it.
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${stack.api}/api/wire/pings/${pingId}`).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(6).fill(200));
  });

  it.each([
    ['malformed JSON', 400, 'BLW_MALFORMED_JSON', '{"text":', { 'content-type': 'application/json' }],
    ['a url-encoded form', 415, 'BLW_UNSUPPORTED_MEDIA_TYPE', 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['plain text', 415, 'BLW_UNSUPPORTED_MEDIA_TYPE', 'hi', { 'content-type': 'text/plain' }],
    [
      'an oversized body',
      413,
      'BLW_PAYLOAD_TOO_LARGE',
      JSON.stringify({ text: 'x'.repeat(200_000) }),
      { 'content-type': 'application/json' },
    ],
    [
      'an unknown field',
      400,
      'BLW_VALIDATION_FAILED',
      JSON.stringify({ text: 'hi', admin: true }),
      { 'content-type': 'application/json' },
    ],
    ['a missing field', 400, 'BLW_VALIDATION_FAILED', JSON.stringify({}), { 'content-type': 'application/json' }],
  ])('rejects %s with %d and error code %s', async (_label, status, code, body, headers) => {
    const res = await fetch(`${stack.api}/api/wire/pings`, { method: 'POST', headers, body });
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; retriable: boolean } };
    expect(json.error.code).toBe(code);
    expect(json.error.retriable).toBe(false);
  });

  it('answers 404 with an error code for an unknown ping and 400 for a malformed id', async () => {
    const unknown = await fetch(`${stack.api}/api/wire/pings/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('BLW_NOT_FOUND');
    expect((await fetch(`${stack.api}/api/wire/pings/not-a-uuid`)).status).toBe(400);
  });

  it('serves /health/live and /health/ready on every app replica', async () => {
    const { processes } = await supervisor.status();
    const apps = processes.filter((p) => /^(ingress|echo)-\d+$/.test(p.name));
    expect(apps.length).toBeGreaterThanOrEqual(4);
    for (const p of apps) {
      for (const path of ['/health/live', '/health/ready']) {
        const res = await fetch(`${p.endpoint}${path}`);
        expect({ replica: p.name, path, status: res.status }).toEqual({ replica: p.name, path, status: 200 });
      }
    }
  });

  it('reports the error shape for an unknown route', async () => {
    const res = await postJson('/api/nowhere', {});
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'BLW_NOT_FOUND' } });
  });
});
