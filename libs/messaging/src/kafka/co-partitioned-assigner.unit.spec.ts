import { assignCoPartitioned } from './co-partitioned-assigner';

describe('assignCoPartitioned', () => {
  const topics = { 'orders.commands': 12, 'inventory.events': 12, 'payments.events': 12 };

  it.each([1, 2, 3, 5, 7, 12, 13])('gives partition p of every topic to one member (%i members)', (n) => {
    const members = Array.from({ length: n }, (_, i) => `member-${String(i).padStart(2, '0')}`);
    const assignment = assignCoPartitioned(members, topics);
    const ownerOf = new Map<string, string>();
    let total = 0;
    for (const [member, byTopic] of Object.entries(assignment)) {
      for (const [topic, partitions] of Object.entries(byTopic)) {
        for (const p of partitions) {
          total++;
          const owner = ownerOf.get(`${p}`);
          if (owner) expect({ topic, p, member }).toEqual({ topic, p, member: owner });
          else ownerOf.set(`${p}`, member);
        }
      }
    }
    // Every partition of every topic assigned exactly once.
    expect(total).toBe(36);
    // Balanced: shares differ by at most one partition number.
    const shares = Object.values(assignment).map((t) => t['orders.commands']?.length ?? 0);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });

  it('does not depend on the order members arrive in', () => {
    expect(assignCoPartitioned(['b', 'a', 'c'], topics)).toEqual(assignCoPartitioned(['c', 'b', 'a'], topics));
  });
});
