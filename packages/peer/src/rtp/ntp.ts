/**
 * NTP timestamps for RTCP (RFC 3550 4): 64-bit seconds since 1900 with a 32-bit fraction, and the
 * "compact" middle 32 bits (16.16 fixed point) that LSR, DLSR and the RTT arithmetic use.
 */

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export interface NtpTime {
  seconds: number;
  fraction: number;
}

/** A Unix wall-clock time in milliseconds as an NTP timestamp. */
export function ntpFromUnixMs(ms: number): NtpTime {
  const totalSeconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - totalSeconds * 1000) / 1000) * 0x1_0000_0000);
  return { seconds: (totalSeconds + NTP_UNIX_OFFSET) >>> 0, fraction: Math.min(fraction, 0xffff_ffff) >>> 0 };
}

/** An NTP timestamp back to Unix milliseconds (the remote's wall clock). */
export function ntpToUnixMs(seconds: number, fraction: number): number {
  return (seconds - NTP_UNIX_OFFSET) * 1000 + (fraction / 0x1_0000_0000) * 1000;
}

/** RFC 3550 6.4.1: the middle 32 bits of an NTP timestamp, as LSR carries it. */
export function compactNtp(t: NtpTime): number {
  return (((t.seconds & 0xffff) << 16) | (t.fraction >>> 16)) >>> 0;
}

/** Milliseconds as 1/65536-second units (DLSR). */
export function msToCompact(ms: number): number {
  return Math.max(0, Math.round((ms * 65536) / 1000)) >>> 0;
}

/**
 * RFC 3550 6.4.1 round-trip time: A - LSR - DLSR, all in compact NTP, where A is when the
 * report block arrived. Undefined when the block carries no LSR (no SR was received yet) or the
 * arithmetic goes negative (clock steps), which a sane estimator must not use.
 */
export function roundTripTimeMs(
  arrivalCompact: number,
  lastSenderReport: number,
  delaySinceLastSenderReport: number,
): number | undefined {
  if (lastSenderReport === 0) return undefined;
  const rtt = (arrivalCompact - lastSenderReport - delaySinceLastSenderReport) | 0;
  if (rtt < 0) return undefined;
  return (rtt * 1000) / 65536;
}
