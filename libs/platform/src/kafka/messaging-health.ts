import type { Subscriber } from '@bulwark/messaging';
import { fail, ok, type Check } from '../health/health-checks';

/**
 * Ready once every subscription has joined its group. Later rebalances (a member joining or
 * leaving, the coordinator moving after a broker died) are routine and must not flap readiness:
 * for the ingress that would take every replica out of the load balancer at once.
 * Replicas beyond the partition count hold no partitions but are ready. A partition with messages
 * waiting and no progress for a minute (see KafkaSubscriber's stallAfterMs) makes it unready.
 */
export function consumerReadiness(subscriber: Subscriber): Check {
  return async () => {
    const health = subscriber.health();
    if (health.length === 0) return fail('no subscriptions started');
    const crashed = health.filter((h) => h.crashed).map((h) => h.group);
    if (crashed.length > 0) return fail(`consumer crashed: ${crashed.join(', ')}`);
    const waiting = health.filter((h) => !h.everJoined).map((h) => h.group);
    if (waiting.length > 0) return fail(`not joined: ${waiting.join(', ')}`);
    // Messages waiting and no commit for a while: a stuck handler or an unreachable store.
    const stalled = health.filter((h) => h.stalled).map((h) => h.group);
    return stalled.length === 0 ? ok : fail(`no progress with messages waiting: ${stalled.join(', ')}`);
  };
}

/** A consumer that crashed for good never recovers in-process: fail liveness so the process is restarted. */
export function consumerLiveness(subscriber: Subscriber): Check {
  return async () => {
    const crashed = subscriber.health().filter((h) => h.crashed);
    return crashed.length === 0 ? ok : fail(`consumer crashed: ${crashed.map((h) => h.group).join(', ')}`);
  };
}
