import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackConfig, type StackConfig } from '../config/stack-config';
import { haproxyConfig } from './haproxy-config';

const HAPROXY = '/usr/sbin/haproxy';

describe('haproxyConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-haproxy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: NodeJS.ProcessEnv = {}): StackConfig =>
    loadStackConfig({ BULWARK_KAFKA_LIBS: 'unused', BULWARK_FERRETDB_BIN: 'unused', BULWARK_DATA_DIR: dir, ...env });

  const edgeOf = (config: StackConfig) => {
    const edge = config.apps.find((a) => a.spec.role === 'edge');
    if (!edge) throw new Error('the catalog has no edge app');
    return edge;
  };

  /** Runs `haproxy -c` (parse and validate only: nothing is bound or started) on a config. */
  function haproxyCheck(text: string, name: string) {
    const file = join(dir, name);
    writeFileSync(file, text);
    return spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8' });
  }

  /** The lines of one named section (`backend ingress`, `frontend http`), indentation removed. */
  function section(text: string, header: string): string[] {
    const lines = text.split('\n');
    const start = lines.indexOf(header);
    if (start < 0) throw new Error(`no "${header}" section in:\n${text}`);
    const body = lines.slice(start + 1);
    const end = body.findIndex((l) => l !== '' && !l.startsWith(' '));
    return (end < 0 ? body : body.slice(0, end)).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  }

  it('is accepted by haproxy -c', () => {
    expect(existsSync(HAPROXY)).toBe(true);

    const check = haproxyCheck(haproxyConfig(load()), 'haproxy.cfg');

    expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({
      status: 0,
      output: expect.stringContaining('Configuration file is valid'),
    });
  });

  it('fails haproxy -c when broken (the check has teeth)', () => {
    const broken = haproxyConfig(load()).replace('balance roundrobin', 'balance no-such-algorithm');

    expect(haproxyCheck(broken, 'broken.cfg').status).not.toBe(0);
  });

  it.each([[{}], [{ BULWARK_EDGE_MAX_REPLICAS: '3' }], [{ BULWARK_EDGE_MAX_REPLICAS: '12' }]])(
    'has one checked server slot per possible edge replica (%o)',
    (env) => {
      const config = load(env);
      const edge = edgeOf(config);

      const servers = section(haproxyConfig(config), `backend ${edge.spec.name}`)
        .filter((l) => l.startsWith('server '))
        // Name, address, and whether the `check` keyword is there; other per-server options may vary.
        .map((l) => {
          const [, name, address, ...options] = l.split(/\s+/);
          return [name, address, options.includes('check')];
        });

      expect(servers).toEqual(
        Array.from({ length: edge.maxReplicas }, (_, i) => [
          `${edge.spec.name}-${i + 1}`,
          `127.0.0.1:${edge.portOf(i + 1)}`,
          true,
        ]),
      );
    },
  );

  it('health-checks every slot actively with GET /health/ready, expecting 200', () => {
    const config = load();
    const backend = section(haproxyConfig(config), `backend ${edgeOf(config).spec.name}`);

    expect(backend).toContain('option httpchk');
    expect(backend).toContainEqual(expect.stringMatching(/^http-check send meth GET uri \/health\/ready( |$)/));
    expect(backend).toContain('http-check expect status 200');
  });

  it('listens on the configured HTTP and stats ports, loopback only', () => {
    const text = haproxyConfig(load({ BULWARK_HTTP_PORT: '18080', BULWARK_HAPROXY_STATS_PORT: '18404' }));

    expect(section(text, 'frontend http')).toContain('bind 127.0.0.1:18080');
    expect(section(text, 'frontend stats')).toContain('bind 127.0.0.1:18404');
  });

  it('hides /metrics from the public API with a JSON 404', () => {
    const frontend = section(haproxyConfig(load()), 'frontend http');
    expect(frontend).toContain('http-request deny deny_status 404 if { path_beg /metrics }');
    const line = frontend.find((l) => l.startsWith('http-error status 404 '));
    const body = /string '(.*)'$/.exec(line ?? '')?.[1] ?? '';
    expect(JSON.parse(body)).toEqual({ error: { code: 'BLW_NOT_FOUND', message: expect.any(String), retriable: false } });
  });

  it("answers 503 and 504 itself with the platform's error shape, retriable, with Retry-After", () => {
    const frontend = section(haproxyConfig(load()), 'frontend http');

    const bodies = Object.fromEntries(
      frontend
        .filter((l) => l.startsWith('http-error ') && !l.startsWith('http-error status 404 '))
        .map((l) => {
          const match = /^http-error status (\d+) content-type application\/json hdr Retry-After \d+ string '(.*)'$/.exec(l);
          if (!match) throw new Error(`unexpected http-error line: ${l}`);
          return [match[1], JSON.parse(match[2] ?? '') as unknown];
        }),
    );

    expect(bodies).toEqual({
      '503': { error: { code: 'BLW_NO_HEALTHY_REPLICA', message: expect.any(String), retriable: true } },
      '504': { error: { code: 'BLW_UPSTREAM_TIMEOUT', message: expect.any(String), retriable: true } },
    });
  });
});
