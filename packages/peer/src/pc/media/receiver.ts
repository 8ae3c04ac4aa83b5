import { PacketParseError, parseRtp } from '@purertc/srtp';
import { ReceptionStats } from './reception-stats.js';
import { SimulcastLayerMap } from './simulcast.js';
import { RtpTrack } from './track.js';

/**
 * W3C webrtc-pc 5.3 RTCRtpReceiver: its track fires `rtp` for every packet routed here.
 *
 * Simulcast reception (Node-only; browsers never receive simulcast): when the negotiated section
 * carries `a=simulcast` toward us, the receiver has one track per RID in `tracks`, each with
 * `track.rid` set; `track` is the first layer's. Each layer's packets go to its own track only,
 * so an SFU forwards a layer by listening to that track. The connection fires one `track` event
 * per layer.
 */
export class RTCRtpReceiver {
  readonly track: RtpTrack;
  packetsReceived = 0;
  bytesReceived = 0;
  /** Packets of a simulcast reception whose SSRC no RID has named yet (dropped). */
  unroutedPackets = 0;
  /** SSRCs seen or signalled for this receiver. */
  readonly ssrcs = new Set<number>();
  /** @internal RFC 3550 A.3 counters per SSRC, for inbound-rtp stats. */
  readonly reception = new Map<number, ReceptionStats>();
  #layers: SimulcastLayerMap | undefined;
  #layerTracks = new Map<string, RtpTrack>();

  /** @internal Set by the connection: sends or stops REMB for this receiver's section. */
  rembRequester: ((bitsPerSecond: number | undefined) => boolean) | undefined;

  /** @internal Set by the connection once RTCP can carry the request; `ssrc` picks a layer. */
  keyFrameRequester: ((ssrc?: number) => boolean) | undefined;

  constructor(kind: 'audio' | 'video') {
    this.track = new RtpTrack(kind, { label: `remote ${kind}` });
    // W3C webrtc-pc 5.3 (create an RTCRtpReceiver): initialize track.muted to true; the first
    // packet received unmutes it.
    this.track.setMuted(true);
  }

  /**
   * Node-only: asks the remote sender for a keyframe, by PLI when `nack pli` was negotiated, else
   * FIR for `ccm fir`; with simulcast, of the layer `rid` (default: the latest SSRC received).
   * False when neither was negotiated or nothing was received yet on that layer.
   */
  requestKeyFrame(rid?: string): boolean {
    if (rid === undefined) return this.keyFrameRequester?.() ?? false;
    const ssrc = this.#layers?.ssrcOf(rid);
    return ssrc === undefined ? false : (this.keyFrameRequester?.(ssrc) ?? false);
  }

  /**
   * Node-only: asks the remote sender to stay under `bitsPerSecond` (all layers together) by RTCP
   * REMB (draft-alvestrand-rmcat-remb), repeated with every report until called with null. An
   * SFU uses it to cap what a publisher sends. False when `goog-remb` was not negotiated (or
   * before negotiation); RangeError for a negative or non-finite rate.
   */
  setRembLimit(bitsPerSecond: number | null): boolean {
    if (bitsPerSecond !== null && !(Number.isFinite(bitsPerSecond) && bitsPerSecond >= 0)) {
      throw new RangeError(`invalid bitrate ${bitsPerSecond}`);
    }
    return this.rembRequester?.(bitsPerSecond ?? undefined) ?? false;
  }

  /** Node-only: one track per received simulcast layer, else just `track`. */
  get tracks(): RtpTrack[] {
    return this.#layers ? [...this.#layerTracks.values()] : [this.track];
  }

  /** Node-only: the track of simulcast layer `rid`. */
  getTrackByRid(rid: string): RtpTrack | undefined {
    return this.#layerTracks.get(rid);
  }

  /**
   * Node-only: each simulcast layer with the SSRCs learnt so far (media by rid, RTX by
   * repaired-rid); empty when not receiving simulcast. An SFU needs them to rewrite and forward.
   */
  getSimulcastLayers(): {
    rid: string;
    track: RtpTrack;
    ssrc: number | undefined;
    rtxSsrc: number | undefined;
  }[] {
    const layers = this.#layers;
    if (!layers) return [];
    return [...this.#layerTracks].map(([rid, track]) => ({
      rid,
      track,
      ssrc: layers.ssrcOf(rid),
      rtxSsrc: layers.rtxSsrcOf(rid),
    }));
  }

  /** @internal The layer map while receiving simulcast. */
  get simulcast(): SimulcastLayerMap | undefined {
    return this.#layers;
  }

  /**
   * @internal The negotiated rids flowing toward us (empty: no simulcast) and the rid header
   * extension ids. Tracks of rids that stay keep their identity across renegotiation.
   */
  setSimulcast(
    rids: readonly string[],
    ids: { rid: number | undefined; repairedRid: number | undefined },
  ): void {
    if (rids.length === 0) {
      this.#layers = undefined;
      this.#layerTracks = new Map();
      this.track.setRid(undefined);
      return;
    }
    const same =
      this.#layers !== undefined &&
      this.#layers.rids.length === rids.length &&
      this.#layers.rids.every((r, i) => r === rids[i]);
    if (same) return;
    const tracks = new Map<string, RtpTrack>();
    rids.forEach((rid, i) => {
      let track = i === 0 ? this.track : this.#layerTracks.get(rid);
      if (!track) {
        track = new RtpTrack(this.track.kind, { label: `remote ${this.track.kind} ${rid}` });
        // Muted until its layer's first packet, like every receiver track (W3C webrtc-pc 5.3).
        track.setMuted(true);
      }
      track.setRid(rid);
      tracks.set(rid, track);
    });
    this.#layerTracks = tracks;
    this.#layers = new SimulcastLayerMap(rids, ids);
  }

  /**
   * @internal A raw packet routed here, before RTX unwrapping: teaches the layer map its SSRC.
   * Returns the media SSRC when the packet is RTX of a known layer (RFC 8852 3.2).
   */
  learn(packet: Uint8Array): number | undefined {
    return this.#layers?.learn(packet);
  }

  /**
   * @internal W3C webrtc-pc 4.4.1.6 (process the removal of a remote track): the remote stopped
   * sending on this section, so every layer's track is muted until media comes again.
   */
  remoteStoppedSending(): void {
    for (const t of this.tracks) t.setMuted(true);
  }

  /** @internal The remote said BYE for `ssrc` (RFC 3550 6.6): its track is muted. */
  remoteBye(ssrc: number): void {
    const rid = this.#layers?.ridOf(ssrc);
    const track = rid === undefined ? this.track : this.#layerTracks.get(rid);
    track?.setMuted(true);
  }

  /** @internal A decrypted packet routed to this receiver; malformed ones are dropped. */
  receive(data: Uint8Array): boolean {
    try {
      const packet = parseRtp(data);
      let track = this.track;
      if (this.#layers) {
        const rid = this.#layers.ridOf(packet.ssrc);
        const layerTrack = rid === undefined ? undefined : this.#layerTracks.get(rid);
        if (!layerTrack) {
          this.unroutedPackets++;
          return false;
        }
        track = layerTrack;
      }
      this.packetsReceived++;
      this.bytesReceived += data.length;
      this.ssrcs.add(packet.ssrc);
      let reception = this.reception.get(packet.ssrc);
      if (!reception) {
        reception = new ReceptionStats();
        this.reception.set(packet.ssrc, reception);
      }
      reception.record(packet.sequenceNumber);
      track.deliver(packet, data);
      return true;
    } catch (e) {
      if (e instanceof PacketParseError) return false;
      throw e;
    }
  }

  /** @internal The transceiver stopped or the connection closed: every layer ends. */
  endTracks(): void {
    for (const t of this.tracks) t.end();
    this.track.end();
  }
}
