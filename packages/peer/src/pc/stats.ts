import { fingerprint } from '@purertc/dtls';
import type { CandidatePairInfo, IceCandidate } from '@purertc/ice';
import type { RtcpSession } from '../rtp/rtcp-session.js';
import type { PeerTransport } from '../transport/peer-transport.js';
import type { RTCCertificate } from './certificate.js';
import type { RTCDataChannel } from './data-channel.js';
import type { RTCRtpTransceiver } from './media/transceiver.js';

/** One W3C webrtc-stats dictionary: id, type, timestamp and the type's members. */
export type RTCStats = { id: string; type: string; timestamp: number } & Record<
  string,
  string | number | boolean | undefined
>;

/** W3C webrtc-pc 8.3 RTCStatsReport: a read-only map from id to stats. */
export type RTCStatsReport = ReadonlyMap<string, RTCStats>;

export interface StatsSources {
  timestamp: number;
  transport: PeerTransport | undefined;
  /**
   * Every transport of the connection with the sections it carries, when there is more than one
   * (RFC 9143 not negotiated); `transport` is then the first. W3C webrtc-stats 7.13: one
   * RTCTransportStats each.
   */
  transports?: readonly { transport: PeerTransport; mids: readonly string[] }[];
  certificate: RTCCertificate;
  channels: readonly RTCDataChannel[];
  dataChannelsOpened: number;
  dataChannelsClosed: number;
  transceivers: readonly RTCRtpTransceiver[];
  rtcp?: RtcpSession;
}

/**
 * W3C webrtc-stats 7.13 srtpCipher: the "Profile" column of the IANA DTLS-SRTP Protection
 * Profiles registry (RFC 5764 4.1.2, RFC 7714 14.2), the names Chrome reports too.
 */
function srtpCipherName(profile: number | undefined): string | undefined {
  switch (profile) {
    case 1:
      return 'SRTP_AES128_CM_HMAC_SHA1_80';
    case 2:
      return 'SRTP_AES128_CM_HMAC_SHA1_32';
    case 7:
      return 'SRTP_AEAD_AES_128_GCM';
    case 8:
      return 'SRTP_AEAD_AES_256_GCM';
    default:
      return undefined;
  }
}

function candidateId(prefix: string, c: IceCandidate): string {
  return `${prefix}${c.address}_${c.port}_${c.type}`;
}

function candidateStats(
  id: string,
  type: string,
  transportId: string,
  c: IceCandidate,
  timestamp: number,
): RTCStats {
  return {
    id,
    type,
    timestamp,
    transportId,
    address: c.address,
    port: c.port,
    protocol: c.transport,
    candidateType: c.type,
    priority: c.priority,
    foundation: c.foundation,
    usernameFragment: c.ufrag,
    ...(c.relatedAddress !== undefined
      ? { relatedAddress: c.relatedAddress, relatedPort: c.relatedPort }
      : {}),
  };
}

function pairId(p: CandidatePairInfo): string {
  return `CP${candidateId('', p.local)}-${candidateId('', p.remote)}`;
}

/** Builds the report (W3C webrtc-stats 3: ids stable across calls for the same objects). */
export function collectStats(s: StatsSources): RTCStatsReport {
  const report = new Map<string, RTCStats>();
  const add = (stats: RTCStats): void => {
    report.set(stats.id, stats);
  };
  const timestamp = s.timestamp;
  add({
    id: 'P',
    type: 'peer-connection',
    timestamp,
    dataChannelsOpened: s.dataChannelsOpened,
    dataChannelsClosed: s.dataChannelsClosed,
  });
  const localFp = s.certificate.dtls.getFingerprints(['sha-256'])[0]!;
  const localCertId = `CF${localFp.value}`;
  add({
    id: localCertId,
    type: 'certificate',
    timestamp,
    fingerprint: localFp.value,
    fingerprintAlgorithm: localFp.algorithm,
    base64Certificate: s.certificate.dtls.der.toString('base64'),
  });
  const all = s.transports ?? (s.transport ? [{ transport: s.transport, mids: [] }] : []);
  const idOf = (index: number) => `T${String(index + 1).padStart(2, '0')}`;
  const transportIdOf = (mid: string | null): string => {
    const index = all.findIndex((e) => mid !== null && e.mids.includes(mid));
    return idOf(Math.max(0, index));
  };
  for (const [index, entry] of all.entries()) {
    const t = entry.transport;
    const transportId = idOf(index);
    let remoteCertId: string | undefined;
    const remoteDer = t.remoteCertificate;
    if (remoteDer) {
      const fp = fingerprint(remoteDer, 'sha-256');
      remoteCertId = `CF${fp.value}`;
      add({
        id: remoteCertId,
        type: 'certificate',
        timestamp,
        fingerprint: fp.value,
        fingerprintAlgorithm: fp.algorithm,
        base64Certificate: remoteDer.toString('base64'),
      });
    }
    const selected = t.ice.selectedPair;
    const dtls = t.dtls;
    add({
      id: transportId,
      type: 'transport',
      timestamp,
      bytesSent: t.stats.bytesSent,
      bytesReceived: t.stats.bytesReceived,
      packetsSent: t.stats.packetsSent,
      packetsReceived: t.stats.packetsReceived,
      iceRole: t.ice.controlling ? 'controlling' : 'controlled',
      iceLocalUsernameFragment: t.ice.localCredentials.ufrag,
      iceState: t.iceState,
      dtlsState: t.dtlsState,
      dtlsRole: t.dtlsRole ?? 'unknown',
      tlsVersion: 'FEFD',
      selectedCandidatePairId: selected ? pairId(selected) : undefined,
      localCertificateId: localCertId,
      remoteCertificateId: remoteCertId,
      dtlsCipher: t.cipherSuite,
      srtpCipher: srtpCipherName(dtls?.negotiatedSrtpProfile),
    });
    for (const c of t.ice.localCandidateList)
      add(candidateStats(candidateId('I', c), 'local-candidate', transportId, c, timestamp));
    for (const c of t.ice.remoteCandidateList)
      add(candidateStats(candidateId('I', c), 'remote-candidate', transportId, c, timestamp));
    for (const p of t.ice.checkList) {
      const isSelected = selected !== undefined && pairId(selected) === pairId(p);
      add({
        id: pairId(p),
        type: 'candidate-pair',
        timestamp,
        transportId,
        localCandidateId: candidateId('I', p.local),
        remoteCandidateId: candidateId('I', p.remote),
        state: p.state,
        nominated: p.nominated,
        priority: Number(p.priority),
        requestsSent: p.stats.requestsSent,
        requestsReceived: p.stats.requestsReceived,
        responsesSent: p.stats.responsesSent,
        responsesReceived: p.stats.responsesReceived,
        consentRequestsSent: p.stats.consentRequestsSent,
        // W3C webrtc-stats 7.14: round-trip times in seconds, from STUN checks and consent.
        currentRoundTripTime:
          p.stats.currentRoundTripTimeMs === undefined ? undefined : p.stats.currentRoundTripTimeMs / 1000,
        totalRoundTripTime: p.stats.totalRoundTripTimeMs / 1000,
        ...(isSelected ? { bytesSent: t.stats.bytesSent, bytesReceived: t.stats.bytesReceived } : {}),
      });
      if (!report.has(candidateId('I', p.remote))) {
        add(candidateStats(candidateId('I', p.remote), 'remote-candidate', transportId, p.remote, timestamp));
      }
    }
  }
  for (const ch of s.channels) {
    add({
      id: `D${ch.id ?? `-${s.channels.indexOf(ch)}`}`,
      type: 'data-channel',
      timestamp,
      label: ch.label,
      protocol: ch.protocol,
      dataChannelIdentifier: ch.id ?? undefined,
      state: ch.readyState,
      messagesSent: ch.messagesSent,
      bytesSent: ch.bytesSent,
      messagesReceived: ch.messagesReceived,
      bytesReceived: ch.bytesReceived,
    });
  }
  for (const tr of s.transceivers) {
    // W3C webrtc-stats 7.2 RTCCodecStats: one per negotiated payload type of the transport.
    for (const c of tr.negotiatedCodecs) {
      const id = `CI${transportIdOf(tr.mid)}_${c.payloadType}_${c.name}`;
      if (report.has(id)) continue;
      add({
        id,
        type: 'codec',
        timestamp,
        transportId: transportIdOf(tr.mid),
        payloadType: c.payloadType,
        mimeType: `${tr.kind}/${c.name}`,
        clockRate: c.clockRate,
        channels: c.channels,
        sdpFmtpLine: c.parameters,
      });
    }
    const outbound = s.rtcp?.outbound(tr.sender.ssrc);
    if (tr.sender.packetsSent > 0) {
      add({
        id: `OT${tr.sender.ssrc}`,
        type: 'outbound-rtp',
        timestamp,
        ssrc: tr.sender.ssrc,
        kind: tr.kind,
        mid: tr.mid ?? undefined,
        transportId: transportIdOf(tr.mid),
        packetsSent: tr.sender.packetsSent,
        bytesSent: tr.sender.bytesSent,
        retransmittedPacketsSent: outbound?.retransmittedPacketsSent ?? 0,
        retransmittedBytesSent: outbound?.retransmittedBytesSent ?? 0,
        nackCount: outbound?.nackCount ?? 0,
        pliCount: outbound?.pliCount ?? 0,
        firCount: outbound?.firCount ?? 0,
        remoteId: outbound?.remote ? `RI${tr.sender.ssrc}` : undefined,
      });
    }
    const remote = outbound?.remote;
    if (remote) {
      // webrtc-stats 7.4: what the remote's report blocks said about our stream.
      add({
        id: `RI${tr.sender.ssrc}`,
        type: 'remote-inbound-rtp',
        timestamp,
        ssrc: tr.sender.ssrc,
        kind: tr.kind,
        transportId: transportIdOf(tr.mid),
        localId: `OT${tr.sender.ssrc}`,
        packetsLost: remote.packetsLost,
        fractionLost: remote.fractionLost,
        jitter: remote.jitter,
        roundTripTime: remote.roundTripTime,
        totalRoundTripTime: remote.totalRoundTripTime,
        roundTripTimeMeasurements: remote.roundTripTimeMeasurements,
      });
    }
    for (const ssrc of tr.receiver.ssrcs) {
      const inbound = s.rtcp?.inbound(ssrc);
      if (s.rtcp && !inbound) continue; // an RTX stream: counted in its media stream
      add({
        id: `IT${ssrc}`,
        type: 'inbound-rtp',
        timestamp,
        ssrc,
        kind: tr.kind,
        mid: tr.mid ?? undefined,
        transportId: transportIdOf(tr.mid),
        packetsReceived: inbound?.stats.packetsReceived ?? tr.receiver.packetsReceived,
        bytesReceived: inbound?.stats.bytesReceived ?? tr.receiver.bytesReceived,
        packetsLost: inbound?.stats.packetsLost ?? tr.receiver.reception.get(ssrc)?.packetsLost ?? 0,
        jitter: inbound?.stats.jitterSeconds ?? 0,
        nackCount: inbound?.nackCount ?? 0,
        pliCount: inbound?.pliCount ?? 0,
        firCount: inbound?.firCount ?? 0,
        remoteId: inbound?.remoteSender ? `RO${ssrc}` : undefined,
      });
      const remoteSender = inbound?.remoteSender;
      if (remoteSender) {
        // webrtc-stats 7.6: what the remote's SR said about the stream we receive.
        add({
          id: `RO${ssrc}`,
          type: 'remote-outbound-rtp',
          timestamp,
          ssrc,
          kind: tr.kind,
          transportId: transportIdOf(tr.mid),
          localId: `IT${ssrc}`,
          packetsSent: remoteSender.packetsSent,
          bytesSent: remoteSender.bytesSent,
          remoteTimestamp: remoteSender.remoteTimestampMs,
          reportsSent: remoteSender.reportsSent,
          // RFC 3611 DLRR answering our RRTR while we only receive (webrtc-stats 7.6).
          ...(inbound?.receiverRtt ?? {}),
        });
      }
    }
  }
  return report;
}
