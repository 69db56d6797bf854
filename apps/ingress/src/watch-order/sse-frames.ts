import type { z } from 'zod';
import type { OrderStatusChange } from '@bulwark/contracts';
import { isFinal } from '../orders/order-view-document';

type StatusChange = z.output<typeof OrderStatusChange>;

/** How long an EventSource waits before reconnecting (with Last-Event-ID) after a dropped stream. */
export const SSE_RETRY_MS = 2000;
/** A comment this often keeps HAProxy and other proxies from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;

export const retryFrame = (ms: number = SSE_RETRY_MS): string => `retry: ${ms}\n\n`;
export const heartbeatFrame = (): string => `: keepalive\n\n`;

/** One history entry: `id` is its index, so Last-Event-ID says where to resume. JSON has no raw newlines. */
export function statusFrame(index: number, change: StatusChange): string {
  return `id: ${index}\nevent: status\ndata: ${JSON.stringify(change)}\n\n`;
}

/** The index of the last entry the client has, or -1 (send everything). */
export function parseLastEventId(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return -1;
  return Number(value.trim());
}

/**
 * The frames for history entries after `lastSent`, up to and including the first final one;
 * `done` once a final status was sent (nothing can follow it).
 */
export function framesAfter(
  history: readonly StatusChange[],
  lastSent: number,
): { frames: string[]; lastSent: number; done: boolean } {
  const frames: string[] = [];
  let last = lastSent;
  for (let i = lastSent + 1; i < history.length; i++) {
    const change = history[i];
    if (!change) break;
    frames.push(statusFrame(i, change));
    last = i;
    if (isFinal(change.status)) return { frames, lastSent: last, done: true };
  }
  return { frames, lastSent: last, done: false };
}

/** True when the client already has a final status: there is nothing left to stream. */
export function alreadyFinished(history: readonly StatusChange[], lastSent: number): boolean {
  return history.some((change, i) => i <= lastSent && isFinal(change.status));
}
