import { ConsumerGroups } from '@bulwark/contracts';
import { kafkaTool, KafkaTools, supervisor, waitFor } from '../support/stack';
import { groupMembers, waitForHealthyStack } from '../support/cluster';
import {
  call,
  customerToken,
  DECLINING_CARD,
  getOrder,
  groupLag,
  newCustomer,
  newSku,
  orderBody,
  placeAndSettle,
  ReadModel,
  restock,
  sleep,
} from '../support/orders';

const INGRESS_REPLICAS = ['ingress-1', 'ingress-2'] as const;

/** Waits until the projection has consumed everything and the read model stops changing. */
async function settledHash(readModel: ReadModel, timeoutMs: number) {
  let previous = '';
  return waitFor(
    'ingress.projection lag 0 and a stable read model',
    async () => {
      const lag = await groupLag(ConsumerGroups.ingressProjection);
      if (lag.lag !== 0 || lag.unknown !== 0 || lag.partitions === 0) {
        previous = '';
        return null;
      }
      const now = await readModel.hash();
      const stable = now.hash === previous;
      previous = now.hash;
      return stable ? now : null;
    },
    timeoutMs,
    2000,
  );
}

/**
 * ARCHITECTURE.md guarantee 6 on the read side: the ingress read model (order_views and
 * stock_views) is rebuilt byte-identical by replaying ingress.projection from the earliest offset
 * into emptied collections.
 */
describe('ingress read model replay', () => {
  beforeAll(() => waitForHealthyStack());
  afterAll(async () => {
    for (const name of INGRESS_REPLICAS) {
      if ((await supervisor.process(name)).state === 'stopped') await supervisor.start(name);
    }
    await waitForHealthyStack();
  });

  it('reset to earliest into emptied view collections rebuilds the same order and stock views', async () => {
    const readModel = new ReadModel();
    try {
      const sku = newSku('replay');
      const other = newSku('replay2');
      await Promise.all([restock(sku, 10, 250), restock(other, 1, 99)]);
      const token = await customerToken(newCustomer('replay'));
      const placed = [
        await placeAndSettle(token, orderBody([{ sku, quantity: 2 }])),
        await placeAndSettle(token, orderBody([{ sku, quantity: 1 }], DECLINING_CARD)),
        await placeAndSettle(token, orderBody([{ sku: other, quantity: 2 }])),
        await placeAndSettle(token, orderBody([{ sku: newSku('replay-none'), quantity: 1 }])),
        await placeAndSettle(
          token,
          orderBody([
            { sku, quantity: 1 },
            { sku: other, quantity: 1 },
          ]),
        ),
      ];
      console.log(`placed: ${placed.map((o) => `${o.status}${o.reason ? `/${o.reason}` : ''}`).join(', ')}`);

      const before = await settledHash(readModel, 120_000);
      console.log(`before: ${JSON.stringify(before)}`);
      expect(before.counts.order_views).toBeGreaterThanOrEqual(placed.length);

      // Kafka refuses to reset an active group: stop its members (both ingress replicas) first.
      for (const name of INGRESS_REPLICAS) await supervisor.stop(name);
      await waitFor(
        'ingress.projection group empty',
        async () => (await groupMembers(ConsumerGroups.ingressProjection)).length === 0,
        60_000,
        1000,
      );
      const reset = await kafkaTool(KafkaTools.consumerGroups, [
        '--reset-offsets',
        '--group',
        ConsumerGroups.ingressProjection,
        '--all-topics',
        '--to-earliest',
        '--execute',
      ]);
      expect(reset).toMatch(/NEW-OFFSET/);
      const deleted = await readModel.clear();
      console.log(`deleted ${JSON.stringify(deleted)}`);
      expect((await readModel.hash()).counts).toEqual({ order_views: 0, stock_views: 0 });

      const replayStarted = Date.now();
      for (const name of INGRESS_REPLICAS) await supervisor.start(name);
      for (const name of INGRESS_REPLICAS) await supervisor.waitReady(name);
      const after = await settledHash(readModel, 480_000);
      console.log(`after a ${Date.now() - replayStarted} ms replay: ${JSON.stringify(after)}`);
      expect(after.counts).toEqual(before.counts);
      expect(after.hash).toBe(before.hash);

      // And the API serves the rebuilt views.
      await sleep(500);
      for (const order of placed) expect((await getOrder(token, order.orderId)).json).toEqual(order);
      expect((await call('GET', `/api/inventory/${sku}`, { token })).json).toMatchObject({ available: 7 });
    } finally {
      await readModel.close();
    }
  }, 600_000);
});
