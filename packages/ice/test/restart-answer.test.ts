import { describe, expect, it } from 'vitest';
import { IceAgent } from '../src/index.js';

const LOCAL = { ufrag: 'locl', pwd: 'local-password-0123456789' };
const REMOTE = { ufrag: 'remo', pwd: 'remote-password-012345678' };
const RESTARTED = { ufrag: 'rem2', pwd: 'remote-password-restarted' };

function agent(): IceAgent {
  const a = new IceAgent({ controlling: false, localCredentials: LOCAL, remoteCredentials: REMOTE });
  a.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
  a.addRemoteCandidate('candidate:1 1 udp 2130706431 192.0.2.2 6000 typ host');
  return a;
}

// Found by Chrome interop: answering Chrome's restart offer, the answer's own new credentials
// wiped the candidates the offer had just delivered (RFC 8445 9: they are the new generation).
describe('ICE restart answered after the peer restarted', () => {
  it('keeps the candidates that came with the restart offer and pairs them with the renewed local ones', () => {
    const a = agent();
    a.setRemoteCredentials(RESTARTED);
    expect(a.remoteCandidateList).toHaveLength(0); // the old generation is gone
    a.addRemoteCandidate('candidate:2 1 udp 2130706431 192.0.2.3 7000 typ host');
    a.restart();
    expect(a.localCredentials.ufrag).not.toBe(LOCAL.ufrag);
    expect(a.remoteCandidateList.map((c) => `${c.address}:${c.port}`)).toEqual(['192.0.2.3:7000']);
    expect(a.checkList.map((p) => `${p.local.port}->${p.remote.port}`)).toEqual(['5000->7000']);
    expect(a.checkList[0]!.local.ufrag).toBe(a.localCredentials.ufrag);
  });

  it('a restart of our own first still starts from an empty remote generation', () => {
    const a = agent();
    a.restart();
    expect(a.remoteCandidateList).toHaveLength(0);
    expect(a.checkList).toHaveLength(0);
    a.setRemoteCredentials(RESTARTED);
    a.addRemoteCandidate('candidate:2 1 udp 2130706431 192.0.2.3 7000 typ host');
    expect(a.checkList.map((p) => p.remote.port)).toEqual([7000]);
  });
});
