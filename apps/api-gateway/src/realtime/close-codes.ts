/** WebSocket close codes the gateway uses; every refusal names its reason in the close frame too. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  /** Sent by `ws` itself for a frame over MAX_FRAME_BYTES. */
  tooLarge: 1009,
  internal: 1011,
  badAudio: 4400,
  unauthorized: 4401,
  notFound: 4404,
  sessionEnded: 4409,
  unsupportedAudio: 4415,
  rateLimited: 4429,
} as const;
