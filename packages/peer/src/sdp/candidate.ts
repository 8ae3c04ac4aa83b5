import type { SdpCandidate } from './model.js';
import { SdpParseError, sdpFail } from './parse-error.js';
import { MAX_UINT32, parseInteger, parsePort, splitWords } from './tokens.js';

/**
 * Parses the value of `a=candidate:` (RFC 8839 5.1):
 *   foundation SP component-id SP transport SP priority SP connection-address SP port
 *   SP "typ" SP cand-type [SP "raddr" SP addr] [SP "rport" SP port] *(SP ext-name SP ext-value)
 * Browsers add tcptype (RFC 6544), generation, ufrag, network-id and network-cost as extensions.
 */
export function parseCandidateValue(value: string): SdpCandidate {
  const words = splitWords(value);
  if (words.length < 8) sdpFail('candidate needs at least 8 fields');
  const [foundation, component, transport, priority, address, port, typ, type] = words as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (typ.toLowerCase() !== 'typ') sdpFail('candidate lacks "typ"');
  if (foundation.length > 32) sdpFail('candidate foundation longer than 32 characters');
  const candidate: SdpCandidate = {
    foundation,
    // RFC 8839 5.1: component-id is 1*3DIGIT, ICE allows components 1..256.
    component: parseInteger(component, 1, 256, 'candidate component'),
    transport,
    priority: parseInteger(priority, 0, MAX_UINT32, 'candidate priority'),
    address,
    port: parsePort(port, 'candidate port'),
    type,
    extensions: [],
  };
  if ((words.length - 8) % 2 !== 0) sdpFail('candidate extension without a value');
  for (let i = 8; i < words.length; i += 2) {
    const name = words[i]!;
    const extValue = words[i + 1]!;
    switch (name.toLowerCase()) {
      case 'raddr':
        candidate.relatedAddress = extValue;
        break;
      case 'rport':
        candidate.relatedPort = parsePort(extValue, 'candidate rport');
        break;
      case 'tcptype':
        candidate.tcpType = extValue;
        break;
      case 'generation':
        candidate.generation = parseInteger(extValue, 0, MAX_UINT32, 'candidate generation');
        break;
      case 'ufrag':
        candidate.ufrag = extValue;
        break;
      case 'network-id':
        candidate.networkId = parseInteger(extValue, 0, MAX_UINT32, 'candidate network-id');
        break;
      case 'network-cost':
        candidate.networkCost = parseInteger(extValue, 0, MAX_UINT32, 'candidate network-cost');
        break;
      default:
        candidate.extensions.push({ name, value: extValue });
    }
  }
  return candidate;
}

/** The value of `a=candidate:`, fields in the order Chrome writes them. */
export function formatCandidateValue(c: SdpCandidate): string {
  const parts = [
    c.foundation,
    String(c.component),
    c.transport,
    String(c.priority),
    c.address,
    String(c.port),
    'typ',
    c.type,
  ];
  if (c.relatedAddress !== undefined) parts.push('raddr', c.relatedAddress);
  if (c.relatedPort !== undefined) parts.push('rport', String(c.relatedPort));
  if (c.tcpType !== undefined) parts.push('tcptype', c.tcpType);
  if (c.generation !== undefined) parts.push('generation', String(c.generation));
  if (c.ufrag !== undefined) parts.push('ufrag', c.ufrag);
  if (c.networkId !== undefined) parts.push('network-id', String(c.networkId));
  if (c.networkCost !== undefined) parts.push('network-cost', String(c.networkCost));
  for (const ext of c.extensions) parts.push(ext.name, ext.value);
  return parts.join(' ');
}

/**
 * Parses a candidate as RTCIceCandidate.candidate carries it (`candidate:...`), also accepting
 * the `a=` prefix some signaling keeps. Throws SdpParseError (a SyntaxError DOMException).
 */
export function parseCandidate(text: string): SdpCandidate {
  let value = text.trim();
  if (value.startsWith('a=')) value = value.slice(2);
  if (!value.startsWith('candidate:')) throw new SdpParseError('candidate must start with "candidate:"');
  return parseCandidateValue(value.slice('candidate:'.length));
}

/** The RTCIceCandidate.candidate form: `candidate:` plus the attribute value. */
export function serializeCandidate(candidate: SdpCandidate): string {
  return `candidate:${formatCandidateValue(candidate)}`;
}
