/**
 * The Node apps the supervisor runs. `edge` apps sit behind HAProxy (their replicas get
 * fixed ports the load balancer checks); `service` apps are consumer-group members that
 * still serve /health and /metrics on a port of their own.
 * Adding a service to Bulwark means adding a line here and building apps/<name>.
 */
export interface AppSpec {
  readonly name: string;
  readonly role: 'edge' | 'service';
  readonly entry: string;
  /** Used when BULWARK_REPLICAS_<NAME> is not set. */
  readonly defaultReplicas: number;
  /** Mongo database the app owns; each service owns its data. */
  readonly database: string;
  /** Replica r listens on BULWARK_APP_BASE_PORT (3000) + portOffset + r: stable when apps are added. */
  readonly portOffset: number;
  /** Extra environment for every replica (the local stack's development settings). */
  readonly env?: Readonly<Record<string, string>>;
}

export const APP_CATALOG: readonly AppSpec[] = [
  { name: 'echo', role: 'service', entry: 'dist/apps/echo/src/main.js', defaultReplicas: 2, database: 'echo', portOffset: 100 },
  {
    name: 'ledger',
    role: 'service',
    entry: 'dist/apps/ledger/src/main.js',
    defaultReplicas: 1,
    database: 'ledger',
    portOffset: 300,
  },
  {
    name: 'orders',
    role: 'service',
    entry: 'dist/apps/orders/src/main.js',
    defaultReplicas: 2,
    database: 'orders',
    portOffset: 400,
  },
  {
    name: 'inventory',
    role: 'service',
    entry: 'dist/apps/inventory/src/main.js',
    defaultReplicas: 2,
    database: 'inventory',
    portOffset: 500,
  },
  {
    name: 'payments',
    role: 'service',
    entry: 'dist/apps/payments/src/main.js',
    defaultReplicas: 2,
    database: 'payments',
    portOffset: 600,
  },
  {
    name: 'ingress',
    role: 'edge',
    entry: 'dist/apps/ingress/src/main.js',
    defaultReplicas: 2,
    database: 'ingress',
    portOffset: 200,
    // The local stack hands out development tokens (POST /api/dev/tokens) signed with the
    // documented development key; see docs/adr/0005-order-saga.md. Never set in production.
    env: { DEV_TOKENS: 'true' },
  },
];

/** Start order; stop order is the reverse (edge first, so no request reaches a stopping service). */
export function appsInStartOrder(): readonly AppSpec[] {
  return [...APP_CATALOG.filter((a) => a.role === 'service'), ...APP_CATALOG.filter((a) => a.role === 'edge')];
}
