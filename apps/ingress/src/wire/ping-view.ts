/** The ingress's read model of a ping: what GET /api/wire/pings/{id} returns. */
export interface PingView {
  readonly _id: string;
  readonly text: string;
  readonly answeredBy: string;
  readonly answeredAt: string;
  /** Id of the PingAnswered event applied; replaying it rewrites the same document. */
  readonly eventId: string;
}
