import type { SessionDescription } from '../sdp/model.js';
import type { RTCSdpType } from '../sdp/signaling-state.js';

export interface AppliedDescription {
  type: RTCSdpType;
  sdp: string;
  parsed: SessionDescription;
}

/**
 * The four description slots of W3C webrtc-pc 4.4.1 (current/pending, local/remote) and how an
 * applied description moves between them: an offer or pranswer is pending; an answer becomes
 * current on its side and promotes the other side's pending description (4.4.1.5 "set the
 * description", answer branch).
 */
export class AppliedDescriptions {
  currentLocal: AppliedDescription | undefined;
  pendingLocal: AppliedDescription | undefined;
  currentRemote: AppliedDescription | undefined;
  pendingRemote: AppliedDescription | undefined;

  get local(): AppliedDescription | undefined {
    return this.pendingLocal ?? this.currentLocal;
  }
  get remote(): AppliedDescription | undefined {
    return this.pendingRemote ?? this.currentRemote;
  }

  /** The pending remote offer while answering, else the current remote description. */
  get remoteParsed(): SessionDescription | undefined {
    return this.pendingRemote?.parsed ?? this.currentRemote?.parsed;
  }

  appliedLocal(applied: AppliedDescription): void {
    if (applied.type === 'offer' || applied.type === 'pranswer') {
      this.pendingLocal = applied;
      return;
    }
    this.currentLocal = applied;
    this.currentRemote = this.pendingRemote;
    this.dropPending();
  }

  appliedRemote(applied: AppliedDescription): void {
    if (applied.type === 'offer' || applied.type === 'pranswer') {
      this.pendingRemote = applied;
      return;
    }
    this.currentRemote = applied;
    this.currentLocal = this.pendingLocal;
    this.dropPending();
  }

  dropPending(): void {
    this.pendingLocal = undefined;
    this.pendingRemote = undefined;
  }

  /** W3C 4.4.1 canTrickleIceCandidates: null before a remote description (RFC 8840 4.1.1). */
  get canTrickle(): boolean | null {
    const remote = this.remote;
    if (!remote) return null;
    return /a=ice-options:[^\r\n]*trickle/.test(remote.sdp);
  }
}
