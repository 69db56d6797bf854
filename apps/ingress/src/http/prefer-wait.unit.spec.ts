import { parsePreferWait } from './prefer-wait';

describe('parsePreferWait (RFC 7240)', () => {
  it('reads wait=N among other preferences, case-insensitively', () => {
    expect(parsePreferWait('wait=5')).toBe(5);
    expect(parsePreferWait('respond-async, wait=3')).toBe(3);
    expect(parsePreferWait('WAIT = 2')).toBe(2);
    expect(parsePreferWait(['return=minimal', 'wait="7"'])).toBe(7);
  });

  it('caps at 10 s and ignores what is not a positive whole number', () => {
    expect(parsePreferWait('wait=60')).toBe(10);
    expect(parsePreferWait('wait=0')).toBeNull();
    expect(parsePreferWait('wait=-1')).toBeNull();
    expect(parsePreferWait('wait=1.5')).toBeNull();
    expect(parsePreferWait('waiting=5')).toBeNull();
    expect(parsePreferWait(undefined)).toBeNull();
  });
});
