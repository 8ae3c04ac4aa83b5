import type { RtcpXrBlock } from '@purertc/srtp';
import type { NtpTime } from './ntp.js';

/** RFC 3611 4.4: Receiver Reference Time Report block type. */
export const XR_RRTR = 4;
/** RFC 3611 4.5: DLRR (delay since last receiver report) block type. */
export const XR_DLRR = 5;

export interface DlrrItem {
  ssrc: number;
  /** Middle 32 bits of the RRTR's NTP timestamp (compact NTP). */
  lastReceiverReport: number;
  /** Delay since that RRTR arrived, in 1/65536 s. */
  delaySinceLastReceiverReport: number;
}

/** RFC 3611 4.4: a receive-only participant's NTP time, so a sender can answer with DLRR. */
export function rrtrBlock(ntp: NtpTime): RtcpXrBlock {
  const data = new Uint8Array(8);
  const view = new DataView(data.buffer);
  view.setUint32(0, ntp.seconds >>> 0);
  view.setUint32(4, ntp.fraction >>> 0);
  return { blockType: XR_RRTR, typeSpecific: 0, data };
}

/** The NTP timestamp of an RRTR block; undefined for another block or a wrong length. */
export function readRrtr(block: RtcpXrBlock): NtpTime | undefined {
  if (block.blockType !== XR_RRTR || block.data.length !== 8) return undefined;
  const view = new DataView(block.data.buffer, block.data.byteOffset, 8);
  return { seconds: view.getUint32(0), fraction: view.getUint32(4) };
}

/** RFC 3611 4.5: one DLRR block with a sub-block per item. */
export function dlrrBlock(items: readonly DlrrItem[]): RtcpXrBlock {
  const data = new Uint8Array(items.length * 12);
  const view = new DataView(data.buffer);
  items.forEach((item, i) => {
    view.setUint32(i * 12, item.ssrc >>> 0);
    view.setUint32(i * 12 + 4, item.lastReceiverReport >>> 0);
    view.setUint32(i * 12 + 8, item.delaySinceLastReceiverReport >>> 0);
  });
  return { blockType: XR_DLRR, typeSpecific: 0, data };
}

/** The sub-blocks of a DLRR block (RFC 3611 4.5: a length not a multiple of 3 words is invalid). */
export function readDlrr(block: RtcpXrBlock): DlrrItem[] {
  if (block.blockType !== XR_DLRR || block.data.length % 12 !== 0) return [];
  const view = new DataView(block.data.buffer, block.data.byteOffset, block.data.length);
  const out: DlrrItem[] = [];
  for (let i = 0; i < block.data.length; i += 12) {
    out.push({
      ssrc: view.getUint32(i),
      lastReceiverReport: view.getUint32(i + 4),
      delaySinceLastReceiverReport: view.getUint32(i + 8),
    });
  }
  return out;
}
