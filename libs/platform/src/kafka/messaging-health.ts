import type { Subscriber } from '@bulwark/messaging';
import { fail, ok, type Check } from '../health/health-checks';

/** Ready once every subscription joined its group; replicas beyond the partition count are idle but ready. */
export function consumerReadiness(subscriber: Subscriber): Check {
  return async () => {
    const health = subscriber.health();
    if (health.length === 0) return fail('no subscriptions started');
    const waiting = health.filter((h) => !h.joined).map((h) => h.group);
    return waiting.length === 0 ? ok : fail(`not joined: ${waiting.join(', ')}`);
  };
}

/** A consumer that crashed for good never recovers in-process: fail liveness so the process is restarted. */
export function consumerLiveness(subscriber: Subscriber): Check {
  return async () => {
    const crashed = subscriber.health().filter((h) => h.crashed);
    return crashed.length === 0 ? ok : fail(`consumer crashed: ${crashed.map((h) => h.group).join(', ')}`);
  };
}
