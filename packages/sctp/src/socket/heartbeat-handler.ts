import type { HeartbeatRequestChunk } from '../packet/chunks/heartbeat-request.js';
import { findParameter, type Parameter } from '../packet/parameter.js';
import { Timer, type TimerSet } from '../timer/timer.js';

export type HeartbeatTimeoutResult = { send: HeartbeatRequestChunk } | 'unanswered' | undefined;

/**
 * RFC 9260 8.3 path heartbeats (dcSCTP's heartbeat_handler): a HEARTBEAT every interval while the
 * path is idle, carrying the send time and a nonce; its ACK is an RTT sample, its absence an error.
 */
export class HeartbeatHandler {
  private readonly interval: Timer;
  private readonly timeout: Timer;
  private nonce: Buffer | undefined;

  constructor(
    timers: TimerSet,
    private readonly intervalMs: number,
    private readonly random: (n: number) => Buffer,
  ) {
    this.interval = timers.add(new Timer('heartbeat', intervalMs));
    this.timeout = timers.add(new Timer('heartbeat-timeout', intervalMs));
  }

  start(now: number): void {
    this.interval.start(now, this.intervalMs);
  }

  /** `pathBusy`: data is outstanding, so T3-rtx already probes the path. */
  handleTimeout(now: number, pathBusy: boolean, rto: number): HeartbeatTimeoutResult {
    if (this.timeout.isDue(now)) {
      this.timeout.stop();
      this.nonce = undefined;
      return 'unanswered';
    }
    if (!this.interval.isDue(now)) return undefined;
    this.interval.start(now, this.intervalMs);
    if (this.timeout.running || pathBusy) return undefined;
    const info = Buffer.alloc(16);
    info.writeDoubleBE(now, 0);
    this.random(8).copy(info, 8);
    this.nonce = info;
    this.timeout.start(now, rto);
    return { send: { type: 'heartbeat', params: [{ type: 'heartbeat-info', info }] } };
  }

  /** Returns the RTT when the ACK echoes our latest HEARTBEAT, else undefined. */
  handleAck(params: readonly Parameter[], now: number): number | undefined {
    const info = findParameter(params, 'heartbeat-info')?.info;
    if (!info || !this.nonce || !info.equals(this.nonce)) return undefined;
    this.nonce = undefined;
    this.timeout.stop();
    return now - info.readDoubleBE(0);
  }
}
