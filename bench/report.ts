import type { Phase, VariantName } from './bench-workload';

export interface Row {
  readonly phase: Phase;
  readonly variant: VariantName;
  readonly messages: number;
  /** Absent when the variant failed; `notes` then says why. */
  readonly seconds?: number;
  readonly notes: string;
}

const LABEL: Record<VariantName, string> = { ours: 'ours (libs/messaging)', raw: 'raw kafkajs', stock: 'stock NestJS' };

/** A Markdown table (readable as is in a terminal); the ratio is against raw kafkajs of the same phase. */
export function resultTable(rows: readonly Row[]): string {
  const rate = (r: Row) => (r.seconds === undefined ? undefined : r.messages / r.seconds);
  const cells = rows.map((r) => {
    const raw = rows.find((x) => x.phase === r.phase && x.variant === 'raw');
    const own = rate(r);
    const base = raw && rate(raw);
    return [
      r.phase,
      LABEL[r.variant],
      String(r.messages),
      r.seconds === undefined ? 'failed' : r.seconds.toFixed(2),
      own === undefined ? '-' : Math.round(own).toLocaleString('en-US'),
      own === undefined || !base ? '-' : (own / base).toFixed(2),
      r.notes,
    ];
  });
  const header = ['phase', 'variant', 'messages', 'seconds', 'msgs/s', 'vs raw', 'notes'];
  const numeric = new Set([2, 3, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    `| ${c.map((v, i) => (numeric.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  // The delimiter row as Prettier writes it, so the results file passes `prettier --check`.
  const rule = `| ${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

export function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}
