import type { SimHost, SimNetwork, SimSocket } from '@purertc/test/sim';
import {
  decodeChannelData,
  encodeChannelData,
  isChannelData,
  StunAttr,
  StunClass,
  StunIntegrityKey,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
  type TransportAddress,
} from '../../src/index.js';

interface Allocation {
  client: { host: string; port: number };
  relay: SimSocket;
  permissions: Set<string>;
  channelToPeer: Map<number, { host: string; port: number }>;
  peerToChannel: Map<string, number>;
}

/**
 * A minimal TURN server (RFC 8656) on the simulated internet, for tests only: long-term
 * credentials with one realm, UDP relays, permissions, channels, Send/Data indications.
 */
export class SimTurnServer {
  readonly address: { host: string; port: number };
  readonly key: StunIntegrityKey;
  readonly allocations = new Map<string, Allocation>();
  readonly requests: { method: number; authenticated: boolean }[] = [];
  nonce = 'nonce-1';
  /** When set, the next authenticated request gets 438 Stale Nonce with this new nonce. */
  staleNonceOnce: string | undefined;
  lifetime = 600;
  /** When set, every Allocate is answered 300 Try Alternate pointing there. */
  redirectTo: { host: string; port: number } | undefined;
  private readonly socket: SimSocket;

  constructor(
    net: SimNetwork,
    host: string,
    readonly username = 'user',
    readonly password = 'pass',
    readonly realm = 'sim.test',
  ) {
    const h = net.addHost({ address: host });
    this.address = { host, port: 3478 };
    this.key = StunIntegrityKey.longTerm(username, realm, password);
    this.socket = h.bind((d) => this.onClient(d.from, Buffer.from(d.data)), { port: 3478 });
    this.host = h;
  }
  private readonly host: SimHost;

  private keyOf(from: { host: string; port: number }): string {
    return `${from.host}:${from.port}`;
  }

  private reply(to: { host: string; port: number }, bytes: Buffer): void {
    this.socket.send(bytes, to);
  }

  private onClient(from: { host: string; port: number }, bytes: Buffer): void {
    const alloc = this.allocations.get(this.keyOf(from));
    if (isChannelData(bytes)) {
      const cd = decodeChannelData(bytes);
      const peer = cd && alloc?.channelToPeer.get(cd.channel);
      if (cd && peer && alloc) alloc.relay.send(cd.data, peer);
      return;
    }
    const msg = StunMessage.tryParse(bytes);
    if (!msg) return;
    if (msg.messageClass === StunClass.Indication && msg.method === StunMethod.Send) {
      const peer = msg.address(StunAttr.XorPeerAddress);
      const data = msg.data();
      if (alloc && peer && data && alloc.permissions.has(peer.address)) {
        alloc.relay.send(data, { host: peer.address, port: peer.port });
      }
      return;
    }
    if (msg.messageClass !== StunClass.Request) return;
    if (this.redirectTo && msg.method === StunMethod.Allocate) {
      const b = new StunMessageBuilder(msg.method, StunClass.ErrorResponse, msg.transactionId)
        .addErrorCode(300, 'Try Alternate')
        .addAddress(StunAttr.AlternateServer, { address: this.redirectTo.host, port: this.redirectTo.port });
      this.reply(from, b.finish({ fingerprint: true }));
      return;
    }
    const authenticated = msg.integrityOffset >= 0 && msg.verifyIntegrity(this.key);
    this.requests.push({ method: msg.method, authenticated });
    const respond = (cls: number, build: (b: StunMessageBuilder) => void, sign = true) => {
      const b = new StunMessageBuilder(msg.method, cls, msg.transactionId);
      build(b);
      this.reply(from, b.finish(sign ? { integrity: this.key, fingerprint: true } : { fingerprint: true }));
    };
    if (!authenticated || msg.nonce() !== this.nonce) {
      const code = authenticated ? 438 : 401;
      respond(
        StunClass.ErrorResponse,
        (b) =>
          b
            .addErrorCode(code, code === 401 ? 'Unauthorized' : 'Stale Nonce')
            .add(StunAttr.Realm, this.realm)
            .add(StunAttr.Nonce, this.nonce),
        false,
      );
      return;
    }
    if (this.staleNonceOnce) {
      this.nonce = this.staleNonceOnce;
      this.staleNonceOnce = undefined;
      respond(
        StunClass.ErrorResponse,
        (b) =>
          b.addErrorCode(438, 'Stale Nonce').add(StunAttr.Realm, this.realm).add(StunAttr.Nonce, this.nonce),
        false,
      );
      return;
    }
    switch (msg.method) {
      case StunMethod.Allocate: {
        if (alloc) {
          respond(StunClass.ErrorResponse, (b) => b.addErrorCode(437, 'Allocation Mismatch'));
          return;
        }
        const relay = this.host.bind((d) => this.onPeer(from, d.from, Buffer.from(d.data)));
        this.allocations.set(this.keyOf(from), {
          client: from,
          relay,
          permissions: new Set(),
          channelToPeer: new Map(),
          peerToChannel: new Map(),
        });
        respond(StunClass.SuccessResponse, (b) =>
          b
            .addAddress(StunAttr.XorRelayedAddress, { address: relay.address.host, port: relay.address.port })
            .addAddress(StunAttr.XorMappedAddress, { address: from.host, port: from.port })
            .addU32(StunAttr.Lifetime, this.lifetime),
        );
        return;
      }
      case StunMethod.Refresh: {
        if (!alloc) {
          respond(StunClass.ErrorResponse, (b) => b.addErrorCode(437, 'Allocation Mismatch'));
          return;
        }
        const lifetime = msg.lifetime() ?? this.lifetime;
        if (lifetime === 0) {
          alloc.relay.close();
          this.allocations.delete(this.keyOf(from));
        }
        respond(StunClass.SuccessResponse, (b) =>
          b.addU32(StunAttr.Lifetime, Math.min(lifetime, this.lifetime)),
        );
        return;
      }
      case StunMethod.CreatePermission: {
        const peer = msg.address(StunAttr.XorPeerAddress);
        if (!alloc || !peer) {
          respond(StunClass.ErrorResponse, (b) => b.addErrorCode(400, 'Bad Request'));
          return;
        }
        alloc.permissions.add(peer.address);
        respond(StunClass.SuccessResponse, () => {});
        return;
      }
      case StunMethod.ChannelBind: {
        const peer = msg.address(StunAttr.XorPeerAddress);
        const channel = msg.channelNumber();
        if (!alloc || !peer || channel === undefined) {
          respond(StunClass.ErrorResponse, (b) => b.addErrorCode(400, 'Bad Request'));
          return;
        }
        alloc.permissions.add(peer.address);
        alloc.channelToPeer.set(channel, { host: peer.address, port: peer.port });
        alloc.peerToChannel.set(`${peer.address}:${peer.port}`, channel);
        respond(StunClass.SuccessResponse, () => {});
        return;
      }
    }
  }

  private onPeer(
    client: { host: string; port: number },
    peer: { host: string; port: number },
    data: Buffer,
  ): void {
    const alloc = this.allocations.get(this.keyOf(client));
    if (!alloc?.permissions.has(peer.host)) return;
    const channel = alloc.peerToChannel.get(`${peer.host}:${peer.port}`);
    if (channel !== undefined) {
      this.reply(client, encodeChannelData(channel, data, false));
      return;
    }
    const b = new StunMessageBuilder(StunMethod.Data, StunClass.Indication, Buffer.alloc(12, 1));
    const addr: TransportAddress = { address: peer.host, port: peer.port };
    b.addAddress(StunAttr.XorPeerAddress, addr).add(StunAttr.Data, data);
    this.reply(client, b.finish());
  }
}
