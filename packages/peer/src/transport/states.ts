import type { IceConnectionState } from '@purertc/ice';

/** W3C webrtc-pc 4.3.3 RTCPeerConnectionState. */
export type RTCPeerConnectionState =
  | 'new'
  | 'connecting'
  | 'connected'
  | 'disconnected'
  | 'failed'
  | 'closed';
/** W3C webrtc-pc 4.3.2 RTCIceConnectionState. */
export type RTCIceConnectionState = IceConnectionState;
/** W3C webrtc-pc 4.3.1 RTCIceGatheringState. */
export type RTCIceGatheringState = 'new' | 'gathering' | 'complete';
/** W3C webrtc-pc 5.5.1 RTCDtlsTransportState. */
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';

/**
 * W3C webrtc-pc 4.3.3: the aggregate over every ICE and DTLS transport of the connection, in the
 * order of the spec's table (the first row that matches wins).
 */
export function aggregateConnectionState(
  closed: boolean,
  transports: readonly { ice: RTCIceConnectionState; dtls: RTCDtlsTransportState }[],
): RTCPeerConnectionState {
  if (closed) return 'closed';
  const ice = transports.map((t) => t.ice);
  const dtls = transports.map((t) => t.dtls);
  if (ice.includes('failed') || dtls.includes('failed')) return 'failed';
  if (ice.includes('disconnected')) return 'disconnected';
  const iceIdle = (s: RTCIceConnectionState) => s === 'new' || s === 'closed';
  const dtlsIdle = (s: RTCDtlsTransportState) => s === 'new' || s === 'closed';
  if (ice.every(iceIdle) && dtls.every(dtlsIdle)) return 'new';
  const iceUp = (s: RTCIceConnectionState) => s === 'connected' || s === 'completed' || s === 'closed';
  const dtlsUp = (s: RTCDtlsTransportState) => s === 'connected' || s === 'closed';
  if (ice.every(iceUp) && dtls.every(dtlsUp)) return 'connected';
  return 'connecting';
}

/** W3C webrtc-pc 4.3.2: the aggregate RTCIceConnectionState over the ICE transports. */
export function aggregateIceConnectionState(
  closed: boolean,
  states: readonly RTCIceConnectionState[],
): RTCIceConnectionState {
  if (closed) return 'closed';
  if (states.includes('failed')) return 'failed';
  if (states.includes('disconnected')) return 'disconnected';
  if (states.every((s) => s === 'new' || s === 'closed')) return 'new';
  if (states.some((s) => s === 'new' || s === 'checking')) return 'checking';
  if (states.every((s) => s === 'completed' || s === 'closed')) return 'completed';
  return 'connected';
}

/** W3C webrtc-pc 4.3.1: gathering is complete when every transport finished, new when none began. */
export function aggregateGatheringState(states: readonly RTCIceGatheringState[]): RTCIceGatheringState {
  if (states.length === 0 || states.every((s) => s === 'new')) return 'new';
  if (states.some((s) => s === 'gathering')) return 'gathering';
  return 'complete';
}
