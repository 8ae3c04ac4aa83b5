import type { RtcpXrBlock } from '@purertc/srtp';
import { compactNtp, msToCompact, ntpFromUnixMs, roundTripTimeMs } from './ntp.js';
import { type DlrrItem, dlrrBlock, readDlrr, readRrtr, rrtrBlock } from './xr.js';

/** Remote RRTRs waiting for our DLRR; more senders than this in one session is not plausible. */
const MAX_PENDING_RRTR = 32;

/**
 * RFC 3611 4.4/4.5 round trip for a participant that sends no SR: it reports its NTP time in an
 * RRTR block, the media sender echoes it in a DLRR block with how long it held it, and the
 * difference to the arrival time is the RTT, as RFC 3550 6.4.1 does with LSR/DLSR. Works both
 * ways: remote RRTRs are answered once with DLRR.
 */
export class ReceiverRttExchange {
  /** RFC 3611 4.4: send RRTRs while receive-only (Chrome offers `a=rtcp-xr:rcvr-rtt=all`). */
  enabled = true;
  /** The latest RRTR per remote SSRC (compact NTP) and when it arrived. */
  readonly #pending = new Map<number, { lastReceiverReport: number; at: number }>();

  /** The XR blocks for our next report: our RRTR when `receiveOnly`, DLRR for pending RRTRs. */
  blocks(receiveOnly: boolean, now: number, wallClockMs: number): RtcpXrBlock[] {
    const out: RtcpXrBlock[] = [];
    if (receiveOnly && this.enabled) out.push(rrtrBlock(ntpFromUnixMs(wallClockMs)));
    if (this.#pending.size > 0) {
      const items: DlrrItem[] = [];
      for (const [ssrc, r] of this.#pending) {
        items.push({
          ssrc,
          lastReceiverReport: r.lastReceiverReport,
          delaySinceLastReceiverReport: msToCompact(now - r.at),
        });
      }
      this.#pending.clear();
      out.push(dlrrBlock(items));
    }
    return out;
  }

  /**
   * An XR packet from `ssrc`: its RRTR waits for our DLRR; a DLRR item naming one of `ours` gives
   * the RTT in ms (undefined when none does or the arithmetic is not sane).
   */
  onExtendedReport(
    ssrc: number,
    blocks: readonly RtcpXrBlock[],
    ours: ReadonlySet<number>,
    now: number,
    wallClockMs: number,
  ): number | undefined {
    let rtt: number | undefined;
    for (const block of blocks) {
      const rrtr = readRrtr(block);
      if (rrtr) {
        if (this.#pending.size < MAX_PENDING_RRTR || this.#pending.has(ssrc)) {
          this.#pending.set(ssrc, { lastReceiverReport: compactNtp(rrtr), at: now });
        }
        continue;
      }
      for (const item of readDlrr(block)) {
        if (!ours.has(item.ssrc)) continue;
        const arrival = compactNtp(ntpFromUnixMs(wallClockMs));
        rtt = roundTripTimeMs(arrival, item.lastReceiverReport, item.delaySinceLastReceiverReport) ?? rtt;
      }
    }
    return rtt;
  }
}
