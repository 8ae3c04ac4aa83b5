import {
  StunAttr,
  StunClass,
  StunIntegrityKey,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
} from '@purertc/ice';
import { Message as WeriftMessage, parseMessage as weriftParse } from 'werift';
import { defineSuite } from './harness.js';

/**
 * The per-packet STUN work of an ICE agent: every connectivity and consent check is parsed,
 * authenticated and fingerprint-checked, and answered with an authenticated response.
 */
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const TID = Buffer.from('b7e7a701bc34d686fa87dfae', 'hex');
const MAPPED = { address: '192.0.2.1', port: 32853 };

// werift's class constants (its `classes` enum is not re-exported at run time).
const WERIFT_REQUEST = 0x0000;
const WERIFT_RESPONSE = 0x0100;
const WERIFT_BINDING = 0x0001;

export default defineSuite({
  suite: 'stun',
  cases: () => {
    const key = StunIntegrityKey.shortTerm(PASSWORD);
    const keyBytes = Buffer.from(PASSWORD);
    const request = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, TID)
      .add(StunAttr.Username, 'evtj:h6vY')
      .addU32(StunAttr.Priority, 0x6e0001ff)
      .addU64(StunAttr.IceControlled, 0x932ff9b151263b36n)
      .addFlag(StunAttr.UseCandidate)
      .finish({ integrity: key, fingerprint: true });
    // Both sides must accept the other's request, so the benchmark compares equal work.
    const w = weriftParse(request, keyBytes);
    if (!w) throw new Error('werift rejected our request');
    const ours = StunMessage.parse(request);
    if (!ours.verifyIntegrity(key) || !ours.hasValidFingerprint()) throw new Error('self-check failed');

    return [
      {
        case: 'parse + verify MI + FINGERPRINT (binding request)',
        impl: 'purertc',
        bytesPerOp: request.length,
        fn: () => {
          const m = StunMessage.parse(request);
          if (!m.hasValidFingerprint() || !m.verifyIntegrity(key)) throw new Error('bad');
          return m.username();
        },
      },
      {
        case: 'parse + verify MI + FINGERPRINT (binding request)',
        impl: 'werift',
        bytesPerOp: request.length,
        fn: () => {
          const m = weriftParse(request, keyBytes);
          if (!m) throw new Error('bad');
          return m.getAttributeValue('USERNAME');
        },
      },
      {
        case: 'build binding response with MI + FINGERPRINT',
        impl: 'purertc',
        fn: () =>
          new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, TID, 64)
            .addAddress(StunAttr.XorMappedAddress, MAPPED)
            .finish({ integrity: key, fingerprint: true }),
      },
      {
        case: 'build binding response with MI + FINGERPRINT',
        impl: 'werift',
        fn: () => {
          const m = new WeriftMessage(WERIFT_BINDING, WERIFT_RESPONSE, TID);
          m.setAttribute('XOR-MAPPED-ADDRESS', [MAPPED.address, MAPPED.port]);
          m.addMessageIntegrity(keyBytes);
          m.addFingerprint();
          return m.bytes;
        },
      },
      {
        case: 'build binding request with MI + FINGERPRINT',
        impl: 'purertc',
        fn: () =>
          new StunMessageBuilder(StunMethod.Binding, StunClass.Request, TID, 96)
            .add(StunAttr.Username, 'evtj:h6vY')
            .addU32(StunAttr.Priority, 0x6e0001ff)
            .addU64(StunAttr.IceControlled, 0x932ff9b151263b36n)
            .finish({ integrity: key, fingerprint: true }),
      },
      {
        case: 'build binding request with MI + FINGERPRINT',
        impl: 'werift',
        fn: () => {
          const m = new WeriftMessage(WERIFT_BINDING, WERIFT_REQUEST, TID);
          m.setAttribute('USERNAME', 'evtj:h6vY');
          m.setAttribute('PRIORITY', 0x6e0001ff);
          m.setAttribute('ICE-CONTROLLED', 0x932ff9b151263b36n);
          m.addMessageIntegrity(keyBytes);
          m.addFingerprint();
          return m.bytes;
        },
      },
    ];
  },
});
