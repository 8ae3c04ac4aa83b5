import { parseAttribute } from './attributes/index.js';
import type { SdpBandwidth, SdpConnection, SdpMediaSection, SdpOrigin, SessionDescription } from './model.js';
import { SdpParseError, sdpFail } from './parse-error.js';
import { expectWords, parseInteger, parsePort, splitWords } from './tokens.js';

/** Type letters RFC 8866 5 defines; any other lower-case letter is kept as an unknown line. */
const SESSION_ONLY = new Set(['v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z']);

function parseOrigin(value: string): SdpOrigin {
  const [username, sessionId, sessionVersion, netType, addrType, address] = expectWords(value, 6, 'o=') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // RFC 8866 5.2: sess-id and sess-version are 1*DIGIT; kept as text since they exceed 2^53.
  if (!/^[0-9]+$/.test(sessionId) || !/^[0-9]+$/.test(sessionVersion)) sdpFail('o= ids must be digits');
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

function parseConnection(value: string): SdpConnection {
  const [netType, addrType, address] = expectWords(value, 3, 'c=') as [string, string, string];
  return { netType, addrType, address };
}

function parseBandwidth(value: string): SdpBandwidth {
  const colon = value.indexOf(':');
  if (colon <= 0) sdpFail('b= needs "<type>:<value>"');
  return {
    type: value.slice(0, colon),
    value: parseInteger(value.slice(colon + 1), 0, Number.MAX_SAFE_INTEGER, 'bandwidth'),
  };
}

function parseMediaLine(value: string): SdpMediaSection {
  const words = splitWords(value);
  if (words.length < 3) sdpFail('m= needs media, port and protocol');
  const [kind, portText, protocol] = words as [string, string, string];
  const slash = portText.indexOf('/');
  const section: SdpMediaSection = {
    kind,
    port: parsePort(slash < 0 ? portText : portText.slice(0, slash), 'm= port'),
    protocol,
    formats: words.slice(3),
    connections: [],
    bandwidths: [],
    attributes: [],
  };
  if (slash >= 0) section.portCount = parseInteger(portText.slice(slash + 1), 1, 65535, 'm= port count');
  return section;
}

function once<T>(current: T | undefined, letter: string): void {
  if (current !== undefined) sdpFail(`${letter}= appears twice`);
}

/**
 * Parses SDP text (RFC 8866) into the typed model. Accepts CRLF or bare LF line endings and
 * ignores blank lines. Throws only SdpParseError (a SyntaxError DOMException) on malformed input.
 */
export function parseSdp(text: string): SessionDescription {
  const lines = text.split('\n');
  let session: Partial<SessionDescription> | undefined;
  let media: SdpMediaSection | undefined;
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    try {
      const first = line.charCodeAt(0);
      if (line.length < 2 || line[1] !== '=' || first < 0x61 || first > 0x7a) {
        sdpFail('not a "<letter>=<value>" line');
      }
      // CR or NUL inside a value could not be written back (RFC 8866 5: text excludes them).
      if (line.includes('\r') || line.includes('\0')) sdpFail('line contains CR or NUL');
      const letter = line[0]!;
      const value = line.slice(2);
      if (session === undefined) {
        if (letter !== 'v') sdpFail('SDP must start with v=');
        if (value !== '0') sdpFail('only SDP version 0 exists');
        session = {
          version: 0,
          emails: [],
          phones: [],
          bandwidths: [],
          timing: [],
          attributes: [],
          media: [],
        };
        continue;
      }
      if (letter === 'm') {
        media = parseMediaLine(value);
        session.media!.push(media);
        continue;
      }
      if (media !== undefined) {
        if (SESSION_ONLY.has(letter)) sdpFail(`${letter}= is not allowed in a media section`);
        parseMediaLevelLine(media, letter, value);
      } else {
        parseSessionLevelLine(session, letter, value);
      }
    } catch (error) {
      if (error instanceof SdpParseError && error.lineNumber === 0) {
        throw new SdpParseError(error.reason, index + 1, line);
      }
      throw error;
    }
  }
  if (session === undefined) throw new SdpParseError('SDP is empty');
  if (session.origin === undefined) throw new SdpParseError('SDP lacks o=');
  if (session.sessionName === undefined) throw new SdpParseError('SDP lacks s=');
  return session as SessionDescription;
}

function parseSessionLevelLine(session: Partial<SessionDescription>, letter: string, value: string): void {
  switch (letter) {
    case 'v':
      sdpFail('v= appears twice');
      break;
    case 'o':
      once(session.origin, 'o');
      session.origin = parseOrigin(value);
      break;
    case 's':
      once(session.sessionName, 's');
      session.sessionName = value;
      break;
    case 'i':
      once(session.information, 'i');
      session.information = value;
      break;
    case 'u':
      once(session.uri, 'u');
      session.uri = value;
      break;
    case 'e':
      session.emails!.push(value);
      break;
    case 'p':
      session.phones!.push(value);
      break;
    case 'c':
      once(session.connection, 'c');
      session.connection = parseConnection(value);
      break;
    case 'b':
      session.bandwidths!.push(parseBandwidth(value));
      break;
    case 't': {
      const [start, stop] = expectWords(value, 2, 't=') as [string, string];
      if (!/^[0-9]+$/.test(start) || !/^[0-9]+$/.test(stop)) sdpFail('t= times must be digits');
      session.timing!.push({ start, stop, repeats: [] });
      break;
    }
    case 'r': {
      const last = session.timing!.at(-1);
      if (last === undefined) sdpFail('r= without a preceding t=');
      last.repeats.push(value);
      break;
    }
    case 'z':
      once(session.timeZones, 'z');
      session.timeZones = value;
      break;
    case 'k':
      once(session.encryptionKey, 'k');
      session.encryptionKey = value;
      break;
    case 'a':
      session.attributes!.push(parseAttributeLine(value));
      break;
    default:
      session.attributes!.push({ type: 'unknown-line', letter, value });
  }
}

function parseMediaLevelLine(media: SdpMediaSection, letter: string, value: string): void {
  switch (letter) {
    case 'i':
      once(media.information, 'i');
      media.information = value;
      break;
    case 'c':
      media.connections.push(parseConnection(value));
      break;
    case 'b':
      media.bandwidths.push(parseBandwidth(value));
      break;
    case 'k':
      once(media.encryptionKey, 'k');
      media.encryptionKey = value;
      break;
    case 'a':
      media.attributes.push(parseAttributeLine(value));
      break;
    default:
      media.attributes.push({ type: 'unknown-line', letter, value });
  }
}

function parseAttributeLine(value: string) {
  if (value === '' || value.startsWith(':')) sdpFail('a= without an attribute name');
  return parseAttribute(value);
}
