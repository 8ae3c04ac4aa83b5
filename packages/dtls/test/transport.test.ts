import { describe, expect, it } from 'vitest';
import { createDtlsConnection, type DtlsConnection, SrtpProtectionProfile } from '../src/index.js';
import { drainEvents, NOW, pump } from './helpers.js';

describe('createDtlsConnection (what the peer package uses)', () => {
  it('makes a certificate per connection, connects, and splits SRTP keys by role (RFC 5764 4.2)', () => {
    const server: DtlsConnection = createDtlsConnection({ role: 'server', remoteFingerprints: [] }, NOW);
    const client = createDtlsConnection(
      {
        role: 'client',
        remoteFingerprints: server.localCertificate.getFingerprints(),
        srtpProfiles: [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80],
      },
      NOW,
    );
    // The server learns the client's fingerprint "from SDP" after both exist.
    server.setRemoteFingerprints(client.localCertificate.getFingerprints());
    expect(client.localCertificate.der).not.toEqual(server.localCertificate.der);
    client.start(NOW);
    server.start(NOW);
    pump(client, server);
    expect(drainEvents(client)[0]).toMatchObject({ type: 'connected', srtpProfile: 1 });
    const c = client.srtpKeyingMaterial();
    const s = server.srtpKeyingMaterial();
    expect(c.localMasterKey.length).toBe(16);
    expect(c.localMasterSalt.length).toBe(14);
    expect(c.localMasterKey).toEqual(s.remoteMasterKey);
    expect(c.remoteMasterSalt).toEqual(s.localMasterSalt);
    const raw = client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60);
    expect(
      Buffer.concat([c.localMasterKey, c.remoteMasterKey, c.localMasterSalt, c.remoteMasterSalt]),
    ).toEqual(raw);
  });
});
