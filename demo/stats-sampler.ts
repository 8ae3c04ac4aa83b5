import type { RTCStatsReport } from '@purertc/peer';

/** What the server tells a page about its side of the connection, once a second. */
export interface ServerFigures {
  type: 'stats';
  /** Round-trip time of the selected candidate pair (ICE consent checks), ms. */
  rttMs: number | null;
  /** Packets lost in the last interval as a share of those expected, over all inbound RTP. */
  lossPercent: number;
  /** Inbound RTP bitrate in the last interval, kbit/s. */
  receivedKbps: number;
  /** Outbound (echoed) RTP bitrate in the last interval, kbit/s. */
  sentKbps: number;
  packetsReceived: number;
  packetsLost: number;
  peers: number;
}

interface Totals {
  at: number;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  bytesSent: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Turns successive getStats reports into per-interval figures. */
export class StatsSampler {
  #previous: Totals | undefined;

  sample(report: RTCStatsReport, now: number, peers: number): ServerFigures {
    const all = [...report.values()];
    const transport = all.find((s) => s.type === 'transport');
    const pair = transport?.selectedCandidatePairId
      ? report.get(String(transport.selectedCandidatePairId))
      : undefined;
    const rtt = pair?.currentRoundTripTime;
    const inbound = all.filter((s) => s.type === 'inbound-rtp');
    const outbound = all.filter((s) => s.type === 'outbound-rtp');
    const totals: Totals = {
      at: now,
      packetsReceived: inbound.reduce((n, s) => n + num(s.packetsReceived), 0),
      packetsLost: inbound.reduce((n, s) => n + Math.max(0, num(s.packetsLost)), 0),
      bytesReceived: inbound.reduce((n, s) => n + num(s.bytesReceived), 0),
      bytesSent: outbound.reduce((n, s) => n + num(s.bytesSent), 0),
    };
    const prev = this.#previous ?? { ...totals, at: now };
    this.#previous = totals;
    const seconds = Math.max(0.001, (now - prev.at) / 1000);
    const lost = totals.packetsLost - prev.packetsLost;
    const expected = lost + totals.packetsReceived - prev.packetsReceived;
    return {
      type: 'stats',
      rttMs: typeof rtt === 'number' ? Math.round(rtt * 10_000) / 10 : null,
      lossPercent: expected > 0 ? Math.max(0, (lost / expected) * 100) : 0,
      receivedKbps: now === prev.at ? 0 : ((totals.bytesReceived - prev.bytesReceived) * 8) / 1000 / seconds,
      sentKbps: now === prev.at ? 0 : ((totals.bytesSent - prev.bytesSent) * 8) / 1000 / seconds,
      packetsReceived: totals.packetsReceived,
      packetsLost: totals.packetsLost,
      peers,
    };
  }
}
