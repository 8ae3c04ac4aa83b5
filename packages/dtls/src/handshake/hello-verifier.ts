import { ContentType, DTLS_1_0, HandshakeType } from '../constants.js';
import { DtlsParseError } from '../errors.js';
import { encodeRecord, parseDatagram } from '../record/record.js';
import type { CookieAuthority } from './cookie.js';
import { encodeHandshakeFragment, parseHandshakeFragments } from './fragment.js';
import { parseClientHelloPrefix } from './messages/client-hello.js';
import { encodeHelloVerifyRequest } from './messages/hello-verify-request.js';

export type HelloVerdict =
  | { action: 'accept'; messageSeq: number; recordSeq: number; random: Buffer }
  | { action: 'reply'; datagram: Buffer; random: Buffer }
  | { action: 'drop' };

/**
 * The stateless front door of a DTLS server (RFC 6347 4.2.1): looks at one datagram from a client
 * we hold no state for, and either answers a HelloVerifyRequest or says the cookie is good. It
 * stores nothing, so a flood of ClientHellos costs CPU per packet and no memory.
 */
export function inspectClientHello(
  datagram: Buffer,
  clientAddress: string,
  authority: CookieAuthority,
): HelloVerdict {
  const { records } = parseDatagram(datagram);
  for (const record of records) {
    if (record.type !== ContentType.handshake || record.epoch !== 0) continue;
    let fragments: ReturnType<typeof parseHandshakeFragments>;
    try {
      fragments = parseHandshakeFragments(record.fragment);
    } catch (e) {
      if (e instanceof DtlsParseError) continue;
      throw e;
    }
    for (const f of fragments) {
      if (f.msgType !== HandshakeType.client_hello || f.fragmentOffset !== 0) continue;
      const hello = parseClientHelloPrefix(f.body);
      if (!hello) continue;
      if (
        hello.cookie.length > 0 &&
        authority.verify(clientAddress, hello.version, hello.random, hello.sessionId, hello.cookie)
      ) {
        return { action: 'accept', messageSeq: f.messageSeq, recordSeq: record.seq, random: hello.random };
      }
      const cookie = authority.issue(clientAddress, hello.version, hello.random, hello.sessionId);
      // RFC 6347 4.2.1: version 1.0 in the HVR for compatibility; reuse the client's message and record numbers.
      const body = encodeHelloVerifyRequest({ version: DTLS_1_0, cookie });
      const fragment = encodeHandshakeFragment({
        msgType: HandshakeType.hello_verify_request,
        length: body.length,
        messageSeq: f.messageSeq,
        fragmentOffset: 0,
        body,
      });
      return {
        action: 'reply',
        random: hello.random,
        datagram: encodeRecord({
          type: ContentType.handshake,
          version: DTLS_1_0,
          epoch: 0,
          seq: record.seq,
          fragment,
        }),
      };
    }
  }
  return { action: 'drop' };
}
