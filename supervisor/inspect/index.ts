/**
 * Live inspection of the actor system (`brain start --inspect`): XState inspection events,
 * sanitized (no secret, bounded size), streamed over a loopback WebSocket in the
 * `@statelyai/inspect` wire format, so our dashboard and the hosted Stately inspector can both
 * draw live state charts. See docs/inspection.md.
 *
 * Usual use: `const r = await createInspectionServer({ port, secrets })`, then
 * `createActor(fundMachine.provide(...), { inspect: r.server.inspect })`, and
 * `await r.server.close()` at shutdown. A host that already runs an HTTP server can use
 * {@link createInspectionHub} and hand it its own `ws` sockets instead.
 */
export {
  type InspectionServer,
  type InspectionServerResult,
  createInspectionServer,
} from './server.ts';
export {
  DEFAULT_INSPECT_PORT,
  DEFAULT_SERVER_OPTIONS,
  type InspectionServerOptions,
  MIN_TOKEN_LENGTH,
  checkInspectionServerOptions,
} from './options.ts';
export {
  DEFAULT_HUB_LIMITS,
  type HubClient,
  type InspectionHub,
  type InspectionHubOptions,
  type InspectionStats,
  createInspectionHub,
} from './hub.ts';
export { type ChannelLimits, type ChannelStats, DEFAULT_CHANNEL_LIMITS, type FrameSink } from './channel.ts';
export {
  type ActorFrame,
  type EventFrame,
  type InspectionFrame,
  STATELY_INSPECT_VERSION,
  type SnapshotFrame,
} from './frames.ts';
export {
  CIRCULAR,
  DEFAULT_SANITIZE_LIMITS,
  type Json,
  MIN_SECRET_LENGTH,
  REDACTED,
  type SanitizeLimits,
  type Sanitizer,
  UNSERIALIZABLE,
  createSanitizer,
  isSecretKey,
  truncatedMarker,
} from './sanitize.ts';
