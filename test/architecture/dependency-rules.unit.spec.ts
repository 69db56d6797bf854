import { spawnSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';

/**
 * The boundaries in .dependency-cruiser.cjs, checked in the unit tier: the real tree must obey
 * them, and a committed fixture tree that breaks each rule once must be reported exactly, so a
 * rule that silently stopped matching (a renamed folder, a regex typo) fails here too.
 */

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/architecture/fixtures');
const PROJECT_CONFIG = '.dependency-cruiser.cjs';
const FIXTURE_CONFIG = 'test/architecture/fixtures.dependency-cruiser.cjs';

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
}

interface CruiseResult {
  readonly summary: { readonly violations: readonly Violation[]; readonly totalCruised: number };
}

// Spawned with this process's Node (24) rather than through node_modules/.bin/depcruise, whose
// `#!/usr/bin/env node` picks whatever node is first on PATH. The package exports neither its
// bin nor its package.json, hence the path.
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

function depcruise(paths: readonly string[], config: string): CruiseResult {
  const run = spawnSync(process.execPath, [DEPCRUISE, ...paths, '--config', config, '--output-type', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  // Exit status is the number of errors, so a non-zero status is expected; only no JSON is fatal.
  if (!run.stdout.trim().startsWith('{')) throw new Error(`depcruise printed no result:\n${run.stderr}`);
  return JSON.parse(run.stdout) as CruiseResult;
}

const describeViolation = (v: Violation, base: string) =>
  `${v.rule.name}: ${relative(base, join(ROOT, v.from))} -> ${v.to.startsWith('node_modules/') ? v.to : relative(base, join(ROOT, v.to))}`;

describe('dependency rules', () => {
  it('hold for apps and libs', () => {
    const result = depcruise(['apps', 'libs'], PROJECT_CONFIG);

    expect(result.summary.violations.map((v) => describeViolation(v, ROOT))).toEqual([]);
    // A path typo would cruise nothing and pass vacuously.
    expect(result.summary.totalCruised).toBeGreaterThan(20);
  });

  it('report every deliberate violation in the fixture tree, and nothing else', () => {
    const result = depcruise(['test/architecture/fixtures'], FIXTURE_CONFIG);

    expect(result.summary.violations.map((v) => describeViolation(v, FIXTURES)).sort()).toEqual(
      [
        'no-cross-app-imports: apps/b/src/y.ts -> apps/a/src/x.handler.ts',
        'domain-free-of-infrastructure: apps/a/src/x.handler.ts -> node_modules/kafkajs/index.js',
        'domain-free-of-infrastructure: apps/a/src/domain/order.ts -> node_modules/@nestjs/common/index.js',
        'domain-free-of-infrastructure: apps/a/src/place-order/place-order.decide.ts -> node_modules/mongodb/lib/index.js',
        'domain-free-of-infrastructure: libs/contracts/src/order-placed.ts -> node_modules/mongoose/index.js',
        'kafkajs-only-in-messaging-kafka: apps/a/src/x.handler.ts -> node_modules/kafkajs/index.js',
        // Type-only import: counts because a Kafka-client type must not leave libs/messaging.
        'kafkajs-only-in-messaging-kafka: libs/messaging/src/ports/publisher.port.ts -> node_modules/kafkajs/index.js',
        'no-lib-imports-app: libs/platform/src/app-config.ts -> apps/b/src/y.ts',
        'no-circular: libs/platform/src/cycle-a.ts -> libs/platform/src/cycle-b.ts',
      ].sort(),
    );
    expect(result.summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
  });

  it('keep the fixture tree out of the project check', () => {
    const result = depcruise(['test/architecture/fixtures'], PROJECT_CONFIG);

    expect(result.summary.totalCruised).toBe(0);
    expect(result.summary.violations).toEqual([]);
  });
});
