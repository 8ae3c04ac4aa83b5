import { readFileSync } from 'node:fs';
import { parseSdp, serializeSdp } from '@purertc/peer';
import { SessionDescription as WeriftSessionDescription } from 'werift';
import { defineSuite } from './harness.js';

/**
 * SDP is parsed once per negotiation, not per packet, but a server terminating many browsers
 * parses Chrome's large audio+video+data offers often: this measures that and writing it back.
 */
const OFFER = readFileSync(
  new URL('../packages/peer/test/sdp/fixtures/chrome-offer-av-data.sdp', import.meta.url),
  'latin1',
);

export default defineSuite({
  suite: 'sdp',
  cases: () => {
    const ours = parseSdp(OFFER);
    const theirs = WeriftSessionDescription.parse(OFFER);
    // Both must have understood the offer for the comparison to mean anything.
    if (ours.media.length !== 3 || theirs.media.length !== 3) throw new Error('offer not parsed');
    if (serializeSdp(ours) !== OFFER) throw new Error('serializer is not byte-stable');
    const bytes = OFFER.length;
    return [
      { case: 'parse Chrome av+data offer', impl: 'purertc', bytesPerOp: bytes, fn: () => parseSdp(OFFER) },
      {
        case: 'parse Chrome av+data offer',
        impl: 'werift',
        bytesPerOp: bytes,
        fn: () => WeriftSessionDescription.parse(OFFER),
      },
      {
        case: 'serialize Chrome av+data offer',
        impl: 'purertc',
        bytesPerOp: bytes,
        fn: () => serializeSdp(ours),
      },
      { case: 'serialize Chrome av+data offer', impl: 'werift', bytesPerOp: bytes, fn: () => theirs.string },
    ];
  },
});
