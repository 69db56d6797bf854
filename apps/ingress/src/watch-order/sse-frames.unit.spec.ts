import { alreadyFinished, framesAfter, heartbeatFrame, parseLastEventId, retryFrame, statusFrame } from './sse-frames';

const history = [
  { status: 'PENDING' as const, at: '2026-01-01T00:00:00.000Z' },
  { status: 'AWAITING_PAYMENT' as const, at: '2026-01-01T00:00:01.000Z' },
  {
    status: 'REJECTED' as const,
    at: '2026-01-01T00:00:02.000Z',
    reason: 'PAYMENT_DECLINED' as const,
    detail: 'line one\nline two',
  },
];

describe('SSE framing (text/event-stream)', () => {
  it('writes an event as id, event name and one data line, ended by a blank line', () => {
    expect(statusFrame(0, history[0]!)).toBe(
      'id: 0\nevent: status\ndata: {"status":"PENDING","at":"2026-01-01T00:00:00.000Z"}\n\n',
    );
  });

  it('keeps data on one line even when a detail has newlines (JSON escapes them)', () => {
    const frame = statusFrame(2, history[2]!);
    expect(frame.split('\n').filter((l) => l.startsWith('data: '))).toHaveLength(1);
    expect(JSON.parse(frame.split('\n')[2]!.slice('data: '.length))).toEqual(history[2]);
  });

  it('has a retry line and a comment heartbeat that EventSource ignores', () => {
    expect(retryFrame(2000)).toBe('retry: 2000\n\n');
    expect(heartbeatFrame()).toMatch(/^:[^\n]*\n\n$/);
  });

  it('reads Last-Event-ID as the index already received, -1 when absent or not an index', () => {
    expect(parseLastEventId('1')).toBe(1);
    expect(parseLastEventId([' 2 '])).toBe(2);
    for (const bad of [undefined, '', 'abc', '-1', '1.5', '9999999']) expect(parseLastEventId(bad)).toBe(-1);
  });

  it('sends the entries after the last one sent, and is done after a final status', () => {
    expect(framesAfter(history.slice(0, 2), -1)).toEqual({
      frames: [statusFrame(0, history[0]!), statusFrame(1, history[1]!)],
      lastSent: 1,
      done: false,
    });
    expect(framesAfter(history, 1)).toEqual({ frames: [statusFrame(2, history[2]!)], lastSent: 2, done: true });
    expect(framesAfter(history.slice(0, 2), 1)).toEqual({ frames: [], lastSent: 1, done: false });
  });

  it('knows when a resuming client already has the final status', () => {
    expect(alreadyFinished(history, 2)).toBe(true);
    expect(alreadyFinished(history, 1)).toBe(false);
    expect(alreadyFinished(history, -1)).toBe(false);
  });
});
