const COLORS = [36, 33, 35, 32, 34, 91, 92, 93, 94, 95, 96];
const assigned = new Map<string, number>();

/** Returns a printer that writes each line prefixed with a padded, coloured process name. */
export function prefixer(name: string): (line: string) => void {
  const color = COLORS[assigned.size % COLORS.length] ?? 37;
  assigned.set(name, color);
  const useColor = process.stdout.isTTY === true;
  const label = name.padEnd(12);
  const prefix = useColor ? `\u001b[${color}m${label}|\u001b[0m ` : `${label}| `;
  return (line) => process.stdout.write(`${prefix}${line}\n`);
}
