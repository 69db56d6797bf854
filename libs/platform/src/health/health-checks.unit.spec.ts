import { fail, HealthChecks, ok, type Check } from './health-checks';

const passing: Check = () => Promise.resolve(ok);
const failing =
  (reason: string): Check =>
  () =>
    Promise.resolve(fail(reason));
const never: Check = () => new Promise(() => undefined);

describe('HealthChecks', () => {
  describe('readiness', () => {
    it('is ok when every check passes, and reports each by name', async () => {
      const health = new HealthChecks();
      health.addReadiness('kafka', passing);
      health.addReadiness('mongo', passing);

      await expect(health.readiness()).resolves.toEqual({ ok: true, checks: { kafka: ok, mongo: ok } });
    });

    it('fails when any check fails, keeping the passing ones in the report', async () => {
      const health = new HealthChecks();
      health.addReadiness('kafka', passing);
      health.addReadiness('mongo', failing('no primary'));

      await expect(health.readiness()).resolves.toEqual({
        ok: false,
        checks: { kafka: ok, mongo: { ok: false, reason: 'no primary' } },
      });
    });

    it.each([
      ['rejects', () => Promise.reject(new Error('connection refused'))],
      [
        'throws before returning a promise',
        () => {
          throw new Error('connection refused');
        },
      ],
    ])('fails when a check %s, with the error message as reason', async (_case, check: Check) => {
      const health = new HealthChecks();
      health.addReadiness('kafka', passing);
      health.addReadiness('mongo', check);

      await expect(health.readiness()).resolves.toEqual({
        ok: false,
        checks: { kafka: ok, mongo: { ok: false, reason: 'connection refused' } },
      });
    });

    it('fails when a check rejects with something that is not an Error', async () => {
      const health = new HealthChecks();
      health.addReadiness('mongo', () => Promise.reject('socket hang up'));

      await expect(health.readiness()).resolves.toEqual({
        ok: false,
        checks: { mongo: { ok: false, reason: 'socket hang up' } },
      });
    });

    describe('with a check that hangs', () => {
      beforeEach(() => jest.useFakeTimers());
      afterEach(() => jest.useRealTimers());

      it('fails it after 1.5 s instead of hanging the probe', async () => {
        const health = new HealthChecks();
        health.addReadiness('kafka', passing);
        health.addReadiness('mongo', never);

        const report = health.readiness();
        await jest.advanceTimersByTimeAsync(1_500);

        await expect(report).resolves.toEqual({
          ok: false,
          checks: { kafka: ok, mongo: { ok: false, reason: 'check timed out after 1500 ms' } },
        });
      });

      it('still accepts a slow check that answers just in time', async () => {
        const health = new HealthChecks();
        health.addReadiness('mongo', () => new Promise((resolve) => setTimeout(() => resolve(ok), 1_499)));

        const report = health.readiness();
        await jest.advanceTimersByTimeAsync(1_499);

        await expect(report).resolves.toEqual({ ok: true, checks: { mongo: ok } });
      });
    });

    it('fails once shutting down, even though every check passes, so the load balancer drains the replica', async () => {
      const health = new HealthChecks();
      health.addReadiness('kafka', passing);
      await expect(health.readiness()).resolves.toMatchObject({ ok: true });

      health.markShuttingDown();

      await expect(health.readiness()).resolves.toEqual({
        ok: false,
        checks: { shutdown: { ok: false, reason: 'shutting down' } },
      });
    });
  });

  describe('liveness', () => {
    it('ignores failing readiness checks: a dependency outage must not get the app restarted', async () => {
      const health = new HealthChecks();
      health.addReadiness('kafka', failing('all brokers down'));
      health.addLiveness('event-loop', passing);

      await expect(health.readiness()).resolves.toMatchObject({ ok: false });
      await expect(health.liveness()).resolves.toEqual({ ok: true, checks: { 'event-loop': ok } });
    });

    it('stays ok while shutting down', async () => {
      const health = new HealthChecks();
      health.addLiveness('event-loop', passing);

      health.markShuttingDown();

      await expect(health.liveness()).resolves.toEqual({ ok: true, checks: { 'event-loop': ok } });
    });

    it('fails on its own failing check without touching readiness', async () => {
      const health = new HealthChecks();
      health.addReadiness('kafka', passing);
      health.addLiveness('consumer', failing('consumer crashed for good'));

      await expect(health.liveness()).resolves.toEqual({
        ok: false,
        checks: { consumer: { ok: false, reason: 'consumer crashed for good' } },
      });
      await expect(health.readiness()).resolves.toEqual({ ok: true, checks: { kafka: ok } });
    });
  });
});
