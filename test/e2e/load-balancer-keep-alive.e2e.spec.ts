import { Agent, request } from 'node:http';
import { stack } from '../support/stack';

/** One GET on a keep-alive agent: status, Keep-Alive header and whether it rode an existing connection. */
function get(agent: Agent, path: string) {
  return new Promise<{ status: number; keepAlive: string; reused: boolean }>((resolve, reject) => {
    const req = request(`${stack.api}${path}`, { agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          keepAlive: [res.headers['keep-alive'] ?? []].flat().join(', '),
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Pooling HTTP clients (browsers, undici, load generators) keep a connection as long as the
 * server's Keep-Alive hint says. The hint clients see through HAProxy must be one HAProxy keeps:
 * the replica's own 72 s used to pass through while HAProxy closed idle connections after 10 s,
 * and clients reused closed connections ("other side closed").
 */
describe('keep-alive through the load balancer', () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  it('advertises an idle timeout it keeps: a connection idle 12 s is reused, not closed', async () => {
    const first = await get(agent, '/health/ready');
    expect(first.status).toBe(200);
    const advertised = Number(/timeout=(\d+)/.exec(first.keepAlive)?.[1]);
    expect(advertised).toBeGreaterThanOrEqual(15);
    expect(advertised).toBeLessThanOrEqual(60);

    // Longer than the 10 s after which HAProxy used to close idle client connections.
    await new Promise((r) => setTimeout(r, 12_000));
    const second = await get(agent, '/health/ready');
    expect(second).toMatchObject({ status: 200, reused: true });
  }, 60_000);
});
