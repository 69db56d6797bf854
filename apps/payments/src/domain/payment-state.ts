/** What the simulator decided the first time it was asked; repeated requests get it again. */
export type PaymentOutcome =
  | { readonly status: 'AUTHORIZED'; readonly authorizationId: string }
  | { readonly status: 'DECLINED'; readonly reason: 'CARD_DECLINED' | 'LIMIT_EXCEEDED'; readonly detail: string };

/**
 * One order's payment. The card number itself is not kept (only its last four digits, for
 * the people reading the document): nothing after the first decision needs it.
 */
export interface PaymentState {
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly cardLast4: string;
  readonly outcome: PaymentOutcome;
  /** An authorization released by VoidPayment; voiding happens (and is announced) once. */
  readonly voided: boolean;
}
