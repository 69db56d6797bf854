// @ts-check
/**
 * Boundaries between apps and libs (STYLE.md, "What follows for Bulwark" 4 and 10), checked by
 * `npm run depcheck` and by test/architecture/dependency-rules.unit.spec.ts in the unit tier.
 *
 * Paths are matched with `(?:^|/)` rather than `^` so that the same rules also bite on the
 * committed fixture tree under test/architecture/fixtures, which mirrors apps/ and libs/.
 */

/** Domain code: use-case handlers, anything under a domain/ folder, and all contracts. */
const DOMAIN = [
  '(?:^|/)apps/[^/]+/src/.*\\.handler\\.ts$',
  '(?:^|/)apps/[^/]+/src/.*\\.decide\\.ts$',
  // Two patterns because depcruise rejects `(?:.*/)?domain/` as an unsafe (nested) regex.
  '(?:^|/)apps/[^/]+/src/domain/',
  '(?:^|/)apps/[^/]+/src/.*/domain/',
  '(?:^|/)libs/contracts/',
];

/** Infrastructure packages, resolved (node_modules/...) or, when not installed, by bare name. */
const INFRASTRUCTURE = '^(?:node_modules/)?(?:@nestjs/[^/]+|mongoose|mongodb|kafkajs)(?:/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-app-imports',
      comment: 'Apps talk only through Kafka. Move shared code to libs/, shared messages to libs/contracts.',
      severity: 'error',
      from: { path: '(?:^|/)apps/([^/]+)/' },
      to: { path: '(?:^|/)apps/', pathNot: ['(?:^|/)apps/$1/', '(?:^|/)node_modules/'] },
    },
    {
      name: 'domain-free-of-infrastructure',
      comment:
        'Handlers, domain/ folders and contracts are plain functions and data: no Nest, no mongoose or ' +
        'mongodb, no kafkajs. Wrap them in a thin adapter outside the domain instead.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: INFRASTRUCTURE },
    },
    {
      name: 'kafkajs-only-in-messaging-kafka',
      comment: 'No Kafka-client type leaves libs/messaging: only its kafka/ folder may import kafkajs.',
      severity: 'error',
      from: { pathNot: '(?:^|/)libs/messaging/src/kafka/' },
      to: { path: '^(?:node_modules/)?kafkajs(?:/|$)' },
    },
    {
      name: 'no-lib-imports-app',
      comment: 'Libs are shared by every app, so they cannot depend on any one of them.',
      severity: 'error',
      from: { path: '(?:^|/)libs/' },
      to: { path: '(?:^|/)apps/', pathNot: '(?:^|/)node_modules/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle means neither module can be understood, tested or moved without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: '(?:^|/)node_modules/' },
    // The fixtures break every rule on purpose; only the architecture test cruises them.
    exclude: { path: '(?:^|/)test/architecture/fixtures/' },
    // Type-only imports count: a Kafka-client *type* leaking out of libs/messaging is a violation.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
