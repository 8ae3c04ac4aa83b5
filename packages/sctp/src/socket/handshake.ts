import type { InitChunk } from '../packet/chunks/init.js';
import type { InitAckChunk } from '../packet/chunks/init-ack.js';
import { findParameter, type Parameter } from '../packet/parameter.js';
import { negotiate, ourInitParameters } from './capabilities.js';
import type { AssociationOptions } from './options.js';
import type { CookieCodec, CookieState } from './state-cookie.js';
import type { TcbParams } from './transmission-control-block.js';

/** The tags and TSN an INIT ACK answers with (RFC 9260 5.2.1 / 5.2.2 decide them). */
export interface InitAckIdentity {
  localTag: number;
  localTsn: number;
  localTieTag: number;
  peerTieTag: number;
}

export function buildInit(o: AssociationOptions, tag: number, initialTsn: number): InitChunk {
  return {
    type: 'init',
    initiateTag: tag,
    aRwnd: o.maxReceiverWindow,
    outboundStreams: o.streams,
    inboundStreams: o.streams,
    initialTsn,
    params: ourInitParameters(o),
    toReport: [],
  };
}

/** RFC 9260 5.1 B: everything the association needs later travels in the signed cookie. */
export function buildInitAck(
  o: AssociationOptions,
  init: InitChunk,
  id: InitAckIdentity,
  cookies: CookieCodec,
  now: number,
): InitAckChunk {
  const state: CookieState = {
    localTag: id.localTag,
    peerTag: init.initiateTag,
    localInitialTsn: id.localTsn,
    peerInitialTsn: init.initialTsn,
    peerRwnd: init.aRwnd,
    outboundStreams: Math.min(o.streams, init.inboundStreams),
    inboundStreams: Math.min(o.streams, init.outboundStreams),
    localTieTag: id.localTieTag,
    peerTieTag: id.peerTieTag,
    capabilities: negotiate(o, init.params),
    createdAt: now,
    lifetime: cookieLifetime(o, init),
  };
  const params: Parameter[] = [
    ...ourInitParameters(o),
    { type: 'state-cookie', cookie: cookies.encode(state) },
  ];
  // RFC 9260 3.2.1: report unrecognized parameters whose type asked for it.
  for (const raw of init.toReport) params.push({ type: 'unrecognized-parameter', raw });
  return {
    type: 'init-ack',
    initiateTag: id.localTag,
    aRwnd: o.maxReceiverWindow,
    outboundStreams: o.streams,
    inboundStreams: o.streams,
    initialTsn: id.localTsn,
    params,
    toReport: [],
  };
}

/**
 * RFC 9260 5.2.6 / 3.3.2.1: a peer whose cookie went stale may ask for a longer one. We grant the
 * increment but at most doubling our lifetime, so a peer cannot make cookies valid for ever.
 */
function cookieLifetime(o: AssociationOptions, init: InitChunk): number {
  const ask = findParameter(init.params, 'cookie-preservative')?.lifeSpanIncrement ?? 0;
  return o.cookieLifetime + Math.min(ask, o.cookieLifetime);
}

/** The initiator's view once the INIT ACK arrived (RFC 9260 5.1 C). */
export function tcbFromInitAck(o: AssociationOptions, init: InitChunk, ack: InitAckChunk): TcbParams {
  return {
    localTag: init.initiateTag,
    peerTag: ack.initiateTag,
    localInitialTsn: init.initialTsn,
    peerInitialTsn: ack.initialTsn,
    peerRwnd: ack.aRwnd,
    outboundStreams: Math.min(o.streams, ack.inboundStreams),
    inboundStreams: Math.min(o.streams, ack.outboundStreams),
    capabilities: negotiate(o, ack.params),
  };
}

export function tcbFromCookie(cs: CookieState): TcbParams {
  return {
    localTag: cs.localTag,
    peerTag: cs.peerTag,
    localInitialTsn: cs.localInitialTsn,
    peerInitialTsn: cs.peerInitialTsn,
    peerRwnd: cs.peerRwnd,
    outboundStreams: cs.outboundStreams,
    inboundStreams: cs.inboundStreams,
    capabilities: cs.capabilities,
  };
}

export type CookieVerdict = 'new' | 'restart' | 'collision' | 'duplicate' | 'discard';

/** RFC 9260 5.2.4: what a valid COOKIE ECHO means given the association we already have. */
export function classifyCookieEcho(
  cs: CookieState,
  current: { localTag: number; peerTag: number } | undefined,
): CookieVerdict {
  if (!current) return 'new';
  const sameLocal = cs.localTag === current.localTag;
  const samePeer = cs.peerTag === current.peerTag;
  // A: the peer restarted; its new cookie carries our current tags as tie-tags.
  if (!sameLocal && !samePeer && cs.localTieTag === current.localTag && cs.peerTieTag === current.peerTag) {
    return 'restart';
  }
  // B: both sides sent INIT at once; the cookie's view of the peer wins.
  if (sameLocal && !samePeer) return 'collision';
  // D: a retransmitted cookie for the association we have.
  if (sameLocal && samePeer) return 'duplicate';
  // C and anything else: silently discard.
  return 'discard';
}
