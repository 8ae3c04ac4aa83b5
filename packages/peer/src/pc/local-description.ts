import { randomBytes } from 'node:crypto';
import type { SessionDescription } from '../sdp/model.js';
import { serializeSdp } from '../sdp/serialize.js';
import type { RTCSdpType } from '../sdp/signaling-state.js';
import type { RTCCertificate } from './certificate.js';
import type { IceRestartPlan } from './ice-restart.js';
import { buildAnswer, buildOffer, type LocalDescriptionContext } from './jsep/build-local.js';
import type { MLine } from './jsep/m-line.js';
import { readRemoteTransport } from './jsep/read-remote.js';
import { withGatheredCandidates } from './sdp-helpers.js';
import { RTCSessionDescription } from './session-description.js';
import { localParameters } from './transport-negotiation.js';
import type { TransportSlot, TransportWiring } from './transport-wiring.js';

/** Our a=max-message-size: what we accept (Chrome's value). */
const LOCAL_MAX_MESSAGE_SIZE = 262144;

/** The remote descriptions an answer or an ICE restart decision looks at. */
export interface RemoteDescriptions {
  readonly pending?: { readonly sdp: string; readonly parsed: SessionDescription } | undefined;
  readonly current?: { readonly sdp: string } | undefined;
}

/**
 * Makes our offers and answers (RFC 9429 5.2 / 5.3): the session's o= line (RFC 8866 5.2: one id,
 * a version that grows with each description), each section's transport parameters from the
 * transport that carries it, new ICE credentials where a restart is planned.
 */
export class LocalDescriptionFactory {
  readonly #sessionId = (randomBytes(8).readBigUInt64BE(0) >> 2n).toString();
  #sessionVersion = 1;
  readonly #certificate: RTCCertificate;
  readonly #transports: TransportWiring;
  readonly #iceRestart: IceRestartPlan;

  constructor(certificate: RTCCertificate, transports: TransportWiring, iceRestart: IceRestartPlan) {
    this.#certificate = certificate;
    this.#transports = transports;
    this.#iceRestart = iceRestart;
  }

  offer(lines: readonly MLine[], remote: RemoteDescriptions): string {
    return serializeSdp(buildOffer(lines, this.#context(true, remote)));
  }

  answer(lines: readonly MLine[], remote: RemoteDescriptions): string {
    const offer = remote.pending!.parsed;
    return serializeSdp(
      buildAnswer(offer, lines, this.#context(false, remote), this.#answerSetupRole(offer)),
    );
  }

  #context(offer: boolean, remote: RemoteDescriptions): LocalDescriptionContext {
    const fingerprints = this.#certificate.dtls
      .getFingerprints(['sha-256'])
      .map((f) => ({ algorithm: f.algorithm, value: f.value }));
    const credentialsFor = (slot: TransportSlot) =>
      this.#iceRestart.credentialsFor(
        slot.id,
        offer,
        slot.transport.ice.localCredentials,
        remote.pending?.sdp,
        remote.current?.sdp,
      );
    const first = credentialsFor(this.#transports.slots[0]!);
    return {
      sessionId: this.#sessionId,
      sessionVersion: this.#sessionVersion++,
      transport: { ufrag: first.ufrag, pwd: first.pwd, fingerprints },
      transportFor: localParameters(this.#transports, fingerprints, credentialsFor),
      candidates: [],
      endOfCandidates: false,
      maxMessageSize: LOCAL_MAX_MESSAGE_SIZE,
    };
  }

  /** RFC 8842 5.3: active when the offer allows it, except that an existing DTLS role is kept. */
  #answerSetupRole(remote: SessionDescription): 'active' | 'passive' {
    const role = this.#transports.transport?.dtlsRole;
    if (role === 'client') return 'active';
    if (role === 'server') return 'passive';
    const info = readRemoteTransport(remote, 'offer');
    return info?.setup === 'active' ? 'passive' : 'active';
  }
}

/**
 * W3C webrtc-pc 4.4.1 localDescription: the applied description plus what gathering found since,
 * each transport's candidates in the section that carries its parameters.
 */
export function describeLocal(
  applied: { readonly type: RTCSdpType; readonly parsed: SessionDescription },
  transports: TransportWiring,
): RTCSessionDescription {
  const slots = transports.slots;
  let parsed: SessionDescription;
  if (slots.length > 1) {
    parsed = applied.parsed;
    for (const s of slots) {
      const mid = s.mids[0];
      if (mid === undefined) continue;
      const complete = s.gathering.state === 'complete';
      parsed = withGatheredCandidates(parsed, s.localCandidates, complete, { mid, mids: s.mids });
    }
  } else {
    const complete = transports.gatheringState === 'complete';
    parsed = withGatheredCandidates(applied.parsed, slots[0]?.localCandidates ?? [], complete);
  }
  return new RTCSessionDescription({ type: applied.type, sdp: serializeSdp(parsed) });
}
