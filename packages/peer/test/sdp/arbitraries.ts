import fc from 'fast-check';
import type {
  SdpAttribute,
  SdpCandidate,
  SdpMediaSection,
  SessionDescription,
  SimulcastRid,
} from '../../src/index.js';

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(''));
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A field without spaces or colons: what SDP calls a token, plus "/" and "+" (ice-char). */
export const token = fc.string({ unit: chars(`${ALNUM}+/._-!#$%&'*^\`{|}~`), minLength: 1, maxLength: 12 });
const ridId = fc.string({ unit: chars(`${ALNUM}_-`), minLength: 1, maxLength: 8 });
const paramName = fc
  .string({ unit: chars(`${ALNUM}-`), minLength: 1, maxLength: 8 })
  .filter((n) => n !== 'pt');
/** Any printable ASCII text, spaces included: what free-form line values hold. */
export const text = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 24,
});
const words = fc.array(token, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const uint32 = fc.integer({ min: 0, max: 0xffff_ffff });
const port = fc.integer({ min: 0, max: 65535 });
const pt = fc.integer({ min: 0, max: 127 });
const direction = fc.constantFrom('sendrecv', 'sendonly', 'recvonly', 'inactive') as fc.Arbitrary<
  'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'
>;
const hexFingerprint = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 })
  .map((bytes) => bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':'));
const digits = fc.string({ unit: chars('0123456789'), minLength: 1, maxLength: 20 });

const KNOWN_CANDIDATE_EXTENSIONS = [
  'raddr',
  'rport',
  'tcptype',
  'generation',
  'ufrag',
  'network-id',
  'network-cost',
];

export const candidate: fc.Arbitrary<SdpCandidate> = fc.record(
  {
    foundation: token,
    component: fc.integer({ min: 1, max: 256 }),
    transport: fc.constantFrom('udp', 'tcp', 'UDP'),
    priority: uint32,
    address: token,
    port,
    type: fc.constantFrom('host', 'srflx', 'prflx', 'relay'),
    relatedAddress: token,
    relatedPort: port,
    tcpType: fc.constantFrom('active', 'passive', 'so'),
    generation: uint32,
    ufrag: token,
    networkId: uint32,
    networkCost: uint32,
    extensions: fc.array(
      fc.record({
        name: token.filter((n) => !KNOWN_CANDIDATE_EXTENSIONS.includes(n.toLowerCase())),
        value: token,
      }),
      { maxLength: 2 },
    ),
  },
  {
    requiredKeys: [
      'foundation',
      'component',
      'transport',
      'priority',
      'address',
      'port',
      'type',
      'extensions',
    ],
  },
);

const simulcastList: fc.Arbitrary<SimulcastRid[][]> = fc.array(
  fc.array(fc.record({ rid: ridId, paused: fc.boolean() }), { minLength: 1, maxLength: 2 }),
  { minLength: 1, maxLength: 3 },
);

/** Attributes in the canonical form the serializer writes (so parse(serialize(x)) equals x). */
export const attribute: fc.Arbitrary<SdpAttribute> = fc.oneof(
  fc.record({
    type: fc.constant('group' as const),
    semantics: token,
    mids: fc.array(token, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('msid-semantic' as const),
    semantics: token,
    ids: fc.array(token, { maxLength: 2 }),
  }),
  fc.constantFrom(
    { type: 'extmap-allow-mixed' as const },
    { type: 'ice-lite' as const },
    { type: 'end-of-candidates' as const },
    { type: 'rtcp-mux' as const },
    { type: 'rtcp-rsize' as const },
  ),
  fc.record({
    type: fc.constantFrom('ice-ufrag' as const, 'ice-pwd' as const, 'mid' as const),
    value: token,
  }),
  fc.record({
    type: fc.constant('ice-options' as const),
    options: fc.array(token, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('candidate' as const), candidate }),
  fc.record({ type: fc.constant('fingerprint' as const), algorithm: token, value: hexFingerprint }),
  fc.record({
    type: fc.constant('setup' as const),
    role: fc.constantFrom('actpass', 'active', 'passive', 'holdconn'),
  }),
  fc.record({ type: fc.constant('direction' as const), direction }),
  fc
    .record(
      { type: fc.constant('rtcp' as const), port, netType: token, addrType: token, address: token },
      { requiredKeys: ['type', 'port'] },
    )
    .filter(
      (a) =>
        (a.netType === undefined) === (a.address === undefined) &&
        (a.addrType === undefined) === (a.address === undefined),
    ),
  fc.record(
    {
      type: fc.constant('rtpmap' as const),
      payloadType: pt,
      encodingName: token.filter((n) => !n.includes('/')),
      clockRate: fc.integer({ min: 1, max: 0xffff_ffff }),
      channels: fc.integer({ min: 1, max: 255 }),
    },
    { requiredKeys: ['type', 'payloadType', 'encodingName', 'clockRate'] },
  ),
  fc.record({
    type: fc.constant('fmtp' as const),
    payloadType: pt,
    parameters: text.filter((t) => !t.startsWith(' ')),
  }),
  fc.record(
    {
      type: fc.constant('rtcp-fb' as const),
      payloadType: fc.oneof(pt, fc.constant('*' as const)),
      feedbackType: token,
      parameter: words,
    },
    { requiredKeys: ['type', 'payloadType', 'feedbackType'] },
  ),
  fc.record(
    {
      type: fc.constant('extmap' as const),
      id: fc.integer({ min: 1, max: 255 }),
      direction,
      uri: token,
      attributes: words,
    },
    { requiredKeys: ['type', 'id', 'uri'] },
  ),
  fc.record(
    { type: fc.constant('msid' as const), streamId: token, trackId: token },
    { requiredKeys: ['type', 'streamId'] },
  ),
  fc.record(
    { type: fc.constant('ssrc' as const), ssrc: uint32, attribute: token, value: text },
    { requiredKeys: ['type', 'ssrc', 'attribute'] },
  ),
  fc.record({
    type: fc.constant('ssrc-group' as const),
    semantics: token,
    ssrcs: fc.array(uint32, { minLength: 1, maxLength: 3 }),
  }),
  fc.record(
    {
      type: fc.constant('rid' as const),
      id: ridId,
      direction: fc.constantFrom('send' as const, 'recv' as const),
      payloadTypes: fc.array(pt, { minLength: 1, maxLength: 3 }),
      params: fc.array(
        fc.record(
          { name: paramName, value: fc.string({ unit: chars(`${ALNUM}=,-`), maxLength: 6 }) },
          { requiredKeys: ['name'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['type', 'id', 'direction', 'params'] },
  ),
  fc
    .record(
      { type: fc.constant('simulcast' as const), send: simulcastList, recv: simulcastList },
      { requiredKeys: ['type'] },
    )
    .filter((a) => a.send !== undefined || a.recv !== undefined),
  fc.record({ type: fc.constant('sctp-port' as const), port }),
  fc.record({ type: fc.constant('max-message-size' as const), size: fc.nat() }),
  fc.record(
    { type: fc.constant('sctpmap' as const), port, protocol: token, streams: port },
    { requiredKeys: ['type', 'port', 'protocol'] },
  ),
  fc.record(
    { type: fc.constant('generic' as const), key: token.map((k) => `x-${k}`), value: text },
    { requiredKeys: ['type', 'key'] },
  ),
  fc.record({
    type: fc.constant('unknown-line' as const),
    letter: fc.constantFrom('d', 'f', 'g', 'x', 'y'),
    value: text,
  }),
) as fc.Arbitrary<SdpAttribute>;

const connection = fc.record({ netType: token, addrType: token, address: token });
const bandwidth = fc.record({ type: token, value: fc.nat() });

export const mediaSection: fc.Arbitrary<SdpMediaSection> = fc.record(
  {
    kind: token,
    port,
    portCount: fc.integer({ min: 1, max: 65535 }),
    protocol: token,
    formats: fc.array(token, { maxLength: 4 }),
    information: text,
    connections: fc.array(connection, { maxLength: 2 }),
    bandwidths: fc.array(bandwidth, { maxLength: 2 }),
    encryptionKey: text,
    attributes: fc.array(attribute, { maxLength: 8 }),
  },
  { requiredKeys: ['kind', 'port', 'protocol', 'formats', 'connections', 'bandwidths', 'attributes'] },
);

export const sessionDescription: fc.Arbitrary<SessionDescription> = fc.record(
  {
    version: fc.constant(0),
    origin: fc.record({
      username: token,
      sessionId: digits,
      sessionVersion: digits,
      netType: token,
      addrType: token,
      address: token,
    }),
    sessionName: text,
    information: text,
    uri: text,
    emails: fc.array(text, { maxLength: 2 }),
    phones: fc.array(text, { maxLength: 2 }),
    connection,
    bandwidths: fc.array(bandwidth, { maxLength: 2 }),
    timing: fc.array(fc.record({ start: digits, stop: digits, repeats: fc.array(text, { maxLength: 2 }) }), {
      maxLength: 2,
    }),
    timeZones: text,
    encryptionKey: text,
    attributes: fc.array(attribute, { maxLength: 6 }),
    media: fc.array(mediaSection, { maxLength: 3 }),
  },
  {
    requiredKeys: [
      'version',
      'origin',
      'sessionName',
      'emails',
      'phones',
      'bandwidths',
      'timing',
      'attributes',
      'media',
    ],
  },
);
