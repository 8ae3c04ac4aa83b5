import type { LocalCandidateInput } from '@purertc/ice';

/** An ICE server as RTCConfiguration lists it, one URL each (W3C webrtc-pc 4.2.1). */
export interface IceServerUrl {
  readonly url: string;
  readonly username?: string;
  readonly credential?: string;
}

export interface GatherOptions {
  readonly iceServers: readonly IceServerUrl[];
  /** iceTransportPolicy 'relay': only relay candidates. */
  readonly relayOnly: boolean;
}

/** A STUN or TURN server that could not be used (W3C RTCPeerConnectionIceErrorEvent). */
export interface GatherError {
  readonly url: string;
  readonly address: string | null;
  readonly port: number | null;
  /** STUN error code, or 701 when the server could not be reached. */
  readonly errorCode: number;
  readonly errorText: string;
}

/** Called for each datagram a driver socket receives. */
export type DatagramHandler = (socketId: string, address: string, port: number, data: Buffer) => void;

/**
 * Everything that differs between real sockets and the simulator: the only I/O an
 * RTCPeerConnection performs. One driver serves one connection; it holds no protocol logic.
 */
export interface PeerDriver {
  /** Monotonic milliseconds, the clock every core runs on. */
  now(): number;
  /** Milliseconds since the epoch, for certificate validity and stats timestamps. */
  wallClock(): number;
  /** Where received datagrams go; set once, before gathering. */
  onDatagram(handler: DatagramHandler): void;
  /**
   * Opens sockets and reports each local candidate as it is found (host first, then server
   * reflexive and relay); resolves when gathering is over.
   */
  gather(
    options: GatherOptions,
    onCandidate: (candidate: LocalCandidateInput) => void,
    onError?: (error: GatherError) => void,
  ): Promise<void>;
  send(socketId: string, address: string, port: number, data: Uint8Array): void;
  /** The single timer: calls `callback` at `at` (driver clock); undefined cancels it. */
  setTimer(at: number | undefined, callback: () => void): void;
  /**
   * Resolves a host name a remote candidate carries (mDNS `.local` or DNS); [] when it does not
   * resolve. Optional: without it such candidates are ignored.
   */
  resolveHostname?(name: string): Promise<string[]>;
  /**
   * Present when the driver hides host addresses (draft-ietf-mmusic-mdns-ice-candidates 3.1):
   * the `<uuid>.local` name it answers multicast DNS queries for, to signal instead of `address`.
   */
  readonly hostnameFor?: (address: string) => string;
  /**
   * A driver for another transport of the same connection (RFC 9143: m-sections that are not
   * bundled): its own sockets and timer, the same clock and options. Without it every m-section
   * shares one transport.
   */
  fork?(): PeerDriver;
  /** Releases every socket and the timer. */
  close(): void;
}
