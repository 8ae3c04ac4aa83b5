import type { Chunk } from '../packet/chunk.js';
import type { CookieEchoChunk } from '../packet/chunks/cookie-echo.js';
import type { InitChunk } from '../packet/chunks/init.js';
import type { InitAckChunk } from '../packet/chunks/init-ack.js';
import { type ErrorCause, ErrorCauseCode } from '../packet/error-cause.js';
import { findParameter } from '../packet/parameter.js';
import type { ParsedPacket } from '../packet/sctp-packet.js';
import { AssociationBase } from './association-base.js';
import { errorChunk, u32 } from './data-chunks.js';
import {
  buildInit,
  buildInitAck,
  classifyCookieEcho,
  type InitAckIdentity,
  tcbFromCookie,
  tcbFromInitAck,
} from './handshake.js';
import type { CookieState } from './state-cookie.js';

/**
 * The association set-up half of the state machine (RFC 9260 5): INIT / INIT ACK / COOKIE ECHO /
 * COOKIE ACK, collisions and restarts (5.2), stale cookies (5.2.6), and the T1 timers.
 */
export abstract class AssociationHandshake extends AssociationBase {
  /** New INITs sent because our cookie went stale; bounded by maxInitRetransmits. */
  private staleCookieRestarts = 0;

  protected handleOutOfTheBlue(pkt: ParsedPacket): void {
    this.stats.droppedOutOfTheBlue++;
    // RFC 9260 8.4 (5): a SHUTDOWN ACK gets a SHUTDOWN COMPLETE with T set; others are dropped.
    if (pkt.chunks.some((c) => c.type === 'shutdown-ack')) {
      this.queueControl([{ type: 'shutdown-complete', tagReflected: true }], pkt.verificationTag);
    }
  }

  protected handleInit(init: InitChunk, now: number): void {
    if (init.initiateTag === 0 || init.outboundStreams === 0 || init.inboundStreams === 0) {
      this.stats.droppedMalformed++;
      return;
    }
    if (this.state === 'shutdown-ack-sent') {
      // RFC 9260 9.2: an INIT in SHUTDOWN-ACK-SENT is discarded and the SHUTDOWN ACK resent.
      if (this.tcb) this.queueControl([{ type: 'shutdown-ack' }], this.tcb.peerTag);
      return;
    }
    let id: InitAckIdentity;
    if (this.state === 'cookie-wait' || this.state === 'cookie-echoed') {
      // RFC 9260 5.2.1: answer with the parameters of our own INIT.
      id = {
        localTag: this.pendingInit?.initiateTag ?? this.tcb!.localTag,
        localTsn: this.pendingInit?.initialTsn ?? this.tcb!.params.localInitialTsn,
        localTieTag: 0,
        peerTieTag: 0,
      };
    } else {
      // RFC 9260 5.2.2: a new tag, and the current ones (if any) as tie-tags.
      id = {
        localTag: this.randomTag(),
        localTsn: this.random32(),
        localTieTag: this.tcb?.localTag ?? 0,
        peerTieTag: this.tcb?.peerTag ?? 0,
      };
    }
    // RFC 9260 3.2.1: unrecognized parameters with upper bits x1 are reported inside the INIT ACK.
    this.queueControl([buildInitAck(this.options, init, id, this.cookies, now)], init.initiateTag);
  }

  protected handleInitAck(ack: InitAckChunk, now: number): void {
    if (this.state !== 'cookie-wait' || !this.pendingInit) return;
    const cookie = findParameter(ack.params, 'state-cookie');
    if (!cookie || ack.initiateTag === 0 || ack.outboundStreams === 0 || ack.inboundStreams === 0) {
      this.stats.droppedMalformed++;
      return;
    }
    this.createTcb(tcbFromInitAck(this.options, this.pendingInit, ack));
    this.pendingInit = undefined;
    this.pendingCookie = cookie.cookie;
    this.t1Init.stop();
    const chunks: Chunk[] = [{ type: 'cookie-echo', cookie: cookie.cookie }];
    // RFC 9260 3.2.1: parameters of the INIT ACK whose type asked for a report (upper bits 01 or
    // 11) go back in an ERROR chunk (Unrecognized Parameters) bundled after the COOKIE ECHO.
    if (ack.toReport.length > 0) {
      chunks.push({
        type: 'error',
        causes: ack.toReport.map(
          (raw): ErrorCause => ({ code: ErrorCauseCode.UnrecognizedParameters, info: raw }),
        ),
      });
    }
    this.queueControl(chunks, ack.initiateTag);
    this.t1Cookie.start(now, this.options.rtoInitial);
    this.state = 'cookie-echoed';
  }

  protected handleCookieEcho(c: CookieEchoChunk, tag: number, now: number): void {
    const cs = this.cookies.decode(c.cookie);
    if (!cs || cs.localTag !== tag) {
      this.stats.invalidCookies++;
      return;
    }
    if (now - cs.createdAt > cs.lifetime || now < cs.createdAt) {
      // RFC 9260 5.2.6: report a stale cookie with its staleness in microseconds.
      this.stats.staleCookies++;
      const staleness = Math.min(0xffffffff, Math.max(0, (now - cs.createdAt - cs.lifetime) * 1000));
      this.queueControl([errorChunk(ErrorCauseCode.StaleCookie, u32(staleness))], cs.peerTag);
      return;
    }
    // Our own INIT is pending with another tag: this cookie answers somebody else's INIT.
    if (!this.tcb && this.pendingInit && this.pendingInit.initiateTag !== cs.localTag) return;
    switch (classifyCookieEcho(cs, this.tcb)) {
      case 'new':
      case 'collision':
        this.createTcb(tcbFromCookie(cs));
        this.establish(now);
        break;
      case 'restart':
        if (this.state === 'shutdown-ack-sent') {
          // RFC 9260 5.2.4 A: no new association while shutting down; say why and go on.
          this.queueControl(
            [{ type: 'shutdown-ack' }, errorChunk(ErrorCauseCode.CookieWhileShuttingDown, Buffer.alloc(0))],
            cs.peerTag,
          );
          return;
        }
        this.restart(cs, now);
        break;
      case 'duplicate':
        if (this.state === 'cookie-wait' || this.state === 'cookie-echoed') this.establish(now);
        break;
      case 'discard':
        return;
    }
    this.queueControl([{ type: 'cookie-ack' }], this.tcb!.peerTag);
  }

  /**
   * RFC 9260 5.2.4 A: the peer restarted, so everything it had of the old association is gone.
   * Data we sent and it had not acknowledged, the unsent rest of partly sent messages and our
   * partly reassembled input are dropped; sequence numbers, TSNs, congestion state and stream
   * resets start over with the new tags. Whole messages still queued are kept (as dcSCTP does)
   * and go out on the new association from SSN 0. The event says how many messages were lost.
   */
  private restart(cs: CookieState, now: number): void {
    const lost = this.tcb?.rq.outstanding.unackedMessageIds() ?? new Set<number>();
    for (const id of this.sendQueue.restart()) lost.add(id);
    const lostMessages = lost.size;
    this.t3Rtx.stop();
    this.t2Shutdown.stop();
    this.delayedAck.stop();
    this.reconfigTimer.stop();
    this.createTcb(tcbFromCookie(cs));
    this.state = 'established';
    this.stats.restarts++;
    this.events.push({ type: 'restarted', lostMessages });
    this.establish(now);
  }

  /**
   * RFC 9260 5.2.6: our COOKIE ECHO arrived too late. Back to COOKIE-WAIT with a new INIT that asks,
   * with a Cookie Preservative (3.3.2.1), for a cookie life longer by at least the staleness.
   */
  protected handleStaleCookie(cause: ErrorCause, now: number): void {
    if (this.state !== 'cookie-echoed') return;
    this.staleCookieRestarts++;
    if (this.staleCookieRestarts > this.options.maxInitRetransmits) {
      this.close({ type: 'aborted', reason: 'cookie stale after every retry', byPeer: false });
      return;
    }
    const stalenessUs = cause.info.length >= 4 ? cause.info.readUInt32BE(0) : 0;
    // The staleness, and one initial RTO more for the round trip the next attempt takes.
    const increment = Math.min(0xffffffff, Math.ceil(stalenessUs / 1000) + this.options.rtoInitial);
    this.t1Cookie.stop();
    this.tcb = undefined;
    this.pendingCookie = undefined;
    const init = buildInit(this.options, this.randomTag(), this.random32());
    init.params.push({ type: 'cookie-preservative', lifeSpanIncrement: increment });
    this.pendingInit = init;
    this.queueControl([init], 0);
    this.t1Init.start(now, this.options.rtoInitial);
    this.state = 'cookie-wait';
  }

  /** T1-init and T1-cookie (RFC 9260 5.1 A and C). Returns true when the association ended. */
  protected handleHandshakeTimeout(now: number): boolean {
    if (this.t1Init.isDue(now)) {
      if (this.t1Init.expirations >= this.options.maxInitRetransmits) {
        this.close({ type: 'aborted', reason: 'INIT not answered', byPeer: false });
        return true;
      }
      if (this.pendingInit) {
        this.t1Init.expireAndBackoff(now);
        this.queueControl([this.pendingInit], 0);
      } else this.t1Init.stop();
    }
    if (this.t1Cookie.isDue(now)) {
      if (this.t1Cookie.expirations >= this.options.maxInitRetransmits) {
        this.close({ type: 'aborted', reason: 'COOKIE ECHO not answered', byPeer: false });
        return true;
      }
      if (this.pendingCookie && this.tcb) {
        this.t1Cookie.expireAndBackoff(now);
        this.queueControl([{ type: 'cookie-echo', cookie: this.pendingCookie }], this.tcb.peerTag);
      } else this.t1Cookie.stop();
    }
    return false;
  }
}
