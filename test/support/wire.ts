import { postJson, stack, waitFor } from './stack';

/** One full trip through HAProxy: POST a ping (202), then poll until its answer reached the read model. */
export async function wireRoundTrip(text = 'round trip', timeoutMs = 60_000) {
  const sent = await postJson('/api/wire/pings', { text });
  if (sent.status !== 202) throw new Error(`POST /api/wire/pings answered ${sent.status}: ${sent.text}`);
  const { pingId } = sent.json as { pingId: string };
  const answer = await waitFor(
    `answer to ping ${pingId}`,
    async () => {
      const res = await fetch(`${stack.api}/api/wire/pings/${pingId}`, { signal: AbortSignal.timeout(10_000) });
      return res.status === 200 ? ((await res.json()) as { pingId: string; answeredBy: string; text: string }) : null;
    },
    timeoutMs,
    250,
  );
  return { pingId, answer };
}
