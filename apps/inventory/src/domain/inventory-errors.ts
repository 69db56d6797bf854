import type { Envelope } from '@bulwark/contracts';
import { PermanentError } from '@bulwark/messaging';

/**
 * Stable codes of the commands inventory cannot apply. Out of stock and unknown SKUs are not
 * among them: those are answers (StockRejected), not failures.
 */
export const InventoryErrors = {
  /** The Kafka key is not the SKU: another replica may be writing that SKU at the same time. */
  keyMismatch: 'INVENTORY_KEY_MISMATCH',
} as const;

/**
 * A SKU's reservations are serial only because inventory.commands is keyed by SKU (ADR 0005);
 * a command keyed otherwise would be applied by whichever replica owns that other key.
 */
export function requireKeyedBySku(command: Envelope<string, { readonly sku: string }>): void {
  if (command.key !== command.data.sku) {
    throw new PermanentError(
      InventoryErrors.keyMismatch,
      `${command.type} ${command.id} is keyed ${command.key} but is about SKU ${command.data.sku}`,
    );
  }
}
