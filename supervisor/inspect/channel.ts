/**
 * One client's outbound path: a bounded queue of frame texts in front of a socket, drained only
 * as fast as the socket takes them. The actor system never waits on a client:
 *
 * - at most `maxInFlightFrames` frames (and `maxSocketBufferedBytes` of socket buffer) are
 *   handed to the socket at a time; the rest wait in the queue;
 * - the queue holds at most `maxQueuedFrames` frames and `maxQueuedBytes` of text; beyond that
 *   the oldest frames are dropped (and counted);
 * - a client that lost frames is resynchronised: once its queue has drained it is sent the
 *   current actors again (a replay), so it converges on the present state.
 *
 * A replay is a list of captured `(actor, snapshot)` items rendered to text one at a time as
 * the socket accepts them, so a late client costs no burst of serialization.
 */

/** The socket side of a channel (a `ws` WebSocket satisfies it). */
export interface FrameSink {
  /** Bytes accepted by `send` but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Sends one text message; `done` runs once it is written (or failed). */
  send(text: string, done: (err?: Error) => void): void;
}

/** Per-client bounds (see the module comment). */
export interface ChannelLimits {
  readonly maxQueuedFrames: number;
  readonly maxQueuedBytes: number;
  readonly maxInFlightFrames: number;
  readonly maxSocketBufferedBytes: number;
}

/** Defaults: 2000 frames / 8 MiB queued, 32 frames / 1 MiB in the socket. */
export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = Object.freeze({
  maxQueuedFrames: 2000,
  maxQueuedBytes: 8 * 1024 * 1024,
  maxInFlightFrames: 32,
  maxSocketBufferedBytes: 1024 * 1024,
});

/** A point-in-time view of one channel. */
export interface ChannelStats {
  readonly id: number;
  readonly queuedFrames: number;
  /** UTF-16 code units of queued text (≈ bytes). */
  readonly queuedBytes: number;
  readonly inFlightFrames: number;
  readonly bufferedAmount: number;
  readonly replayPending: number;
  readonly sentFrames: number;
  readonly droppedFrames: number;
  readonly resyncs: number;
}

/** Renders one replay item to frame text (undefined: skip it). */
export type ReplayRenderer<T> = (item: T) => string | undefined;

/** See the module comment. Never throws out of its methods. */
export class Channel<T> {
  private queue: string[] = [];
  private head = 0;
  private bytes = 0;
  private replay: T[] = [];
  private replayAt = 0;
  private inFlight = 0;
  private sent = 0;
  private dropped = 0;
  private resyncCount = 0;
  private needsResync = false;
  private closed = false;
  private pumping = false;

  constructor(
    readonly id: number,
    /** Sequence number of the first live frame this client should get. */
    readonly joinedAtSeq: number,
    private readonly sink: FrameSink,
    private readonly limits: ChannelLimits,
    private readonly render: ReplayRenderer<T>,
    /** Captures a fresh replay (for resynchronisation after drops). */
    private readonly capture: () => T[],
    private readonly onError: (err: unknown) => void,
  ) {}

  /** True once {@link close} ran. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues the initial replay (the actors that exist at connection time). */
  startReplay(items: T[]): void {
    this.replay = items;
    this.replayAt = 0;
  }

  /** Queues one live frame, dropping the oldest queued frames beyond the bounds. */
  push(text: string): void {
    if (this.closed) return;
    this.queue.push(text);
    this.bytes += text.length;
    while (
      this.queue.length - this.head > 1 &&
      (this.queue.length - this.head > this.limits.maxQueuedFrames || this.bytes > this.limits.maxQueuedBytes)
    ) {
      this.bytes -= this.queue[this.head]!.length;
      this.queue[this.head] = '';
      this.head++;
      this.dropped++;
      this.needsResync = true;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Records frames lost before they reached this channel (the hub's pending queue overflowed). */
  markLost(count: number): void {
    if (this.closed || count <= 0) return;
    this.dropped += count;
    this.needsResync = true;
  }

  /** Hands frames to the socket while it has room. */
  pump(): void {
    if (this.closed || this.pumping) return;
    this.pumping = true;
    try {
      while (this.inFlight < this.limits.maxInFlightFrames) {
        if (this.inFlight > 0 && this.sink.bufferedAmount >= this.limits.maxSocketBufferedBytes) break;
        const text = this.next();
        if (text === undefined) break;
        this.inFlight++;
        let settled = false;
        const done = (err?: Error): void => {
          if (settled) return;
          settled = true;
          this.inFlight--;
          if (err) return; // the socket is closing; its close handler ends the channel
          this.pump();
        };
        try {
          this.sink.send(text, done);
          this.sent++;
        } catch (err) {
          if (!settled) {
            settled = true;
            this.inFlight--;
          }
          this.onError(err);
          break;
        }
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.pumping = false;
    }
  }

  /** Stops the channel and releases its queue. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.bytes = 0;
    this.replay = [];
    this.replayAt = 0;
  }

  /** A point-in-time view. */
  stats(): ChannelStats {
    let bufferedAmount = 0;
    try {
      bufferedAmount = this.sink.bufferedAmount;
    } catch {
      bufferedAmount = 0;
    }
    return {
      id: this.id,
      queuedFrames: this.queue.length - this.head,
      queuedBytes: this.bytes,
      inFlightFrames: this.inFlight,
      bufferedAmount,
      replayPending: this.replay.length - this.replayAt,
      sentFrames: this.sent,
      droppedFrames: this.dropped,
      resyncs: this.resyncCount,
    };
  }

  private next(): string | undefined {
    while (this.replayAt < this.replay.length) {
      const item = this.replay[this.replayAt]!;
      this.replay[this.replayAt] = undefined as T; // release the captured snapshot
      this.replayAt++;
      if (this.replayAt === this.replay.length) {
        this.replay = [];
        this.replayAt = 0;
      }
      const text = this.render(item);
      if (text !== undefined) return text;
    }
    if (this.head < this.queue.length) {
      const text = this.queue[this.head]!;
      this.queue[this.head] = '';
      this.head++;
      this.bytes -= text.length;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      return text;
    }
    if (this.needsResync) {
      this.needsResync = false;
      this.resyncCount++;
      this.replay = this.capture();
      this.replayAt = 0;
      return this.next();
    }
    return undefined;
  }
}
