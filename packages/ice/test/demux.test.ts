import { describe, expect, it } from 'vitest';
import { IceDemux, StunAttr, StunClass, StunMessageBuilder, StunMethod } from '../src/index.js';

function check(username: string): Buffer {
  return new StunMessageBuilder(StunMethod.Binding, StunClass.Request, Buffer.alloc(12, 1))
    .add(StunAttr.Username, username)
    .finish({ fingerprint: true });
}

describe('IceDemux: many agents on one socket', () => {
  it('routes checks by ufrag and the rest by the address that checked in', () => {
    const demux = new IceDemux<string>(2);
    demux.register('aaaa', 'agent-a');
    demux.register('bbbb', 'agent-b');
    const p1 = { address: '198.51.100.1', port: 1000 };
    const p2 = { address: '198.51.100.2', port: 2000 };
    const dtls = Buffer.from([22, 254, 253]);
    expect(demux.route(dtls, p1)).toBeUndefined(); // nobody checked in from there yet
    expect(demux.route(check('aaaa:zzzz'), p1)).toBe('agent-a');
    expect(demux.route(check('bbbb:yyyy'), p2)).toBe('agent-b');
    expect(demux.route(dtls, p1)).toBe('agent-a');
    expect(demux.route(dtls, p2)).toBe('agent-b');
    expect(demux.route(check('cccc:xxxx'), p1)).toBeUndefined();
    // Bounded: a third address pushes out the oldest.
    const p3 = { address: '198.51.100.3', port: 3000 };
    expect(demux.route(check('aaaa:zzzz'), p3)).toBe('agent-a');
    expect(demux.route(dtls, p1)).toBeUndefined();
    demux.unregister('bbbb');
    expect(demux.route(dtls, p2)).toBeUndefined();
    expect(demux.route(check('bbbb:yyyy'), p2)).toBeUndefined();
  });
});
