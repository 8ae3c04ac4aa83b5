import { randomBytes } from 'node:crypto';
import { canonicalIp, type TransportAddress } from '../stun/address.js';
import { StunMessageBuilder } from '../stun/builder.js';
import { StunClass, StunMethod } from '../stun/constants.js';
import { StunMessage } from '../stun/message.js';
import { StunRetransmitTimer } from '../stun/transaction.js';
import { resolveServerHost } from './dns-lookup.js';
import type { DriverContext } from './driver-context.js';
import type { HostSockets } from './host-sockets.js';
import type { StunServerConfig } from './transport-options.js';

/** A mapped address a STUN server reported for one of our host sockets. */
export interface StunAnswer {
  readonly socketId: string;
  readonly server: TransportAddress;
  readonly mapped: TransportAddress;
}

interface SrflxProbe {
  readonly socketId: string;
  readonly server: TransportAddress;
  readonly bytes: Buffer;
  readonly timer: StunRetransmitTimer;
  readonly resolve: () => void;
}

/**
 * Server-reflexive gathering: Binding requests from host sockets to the configured STUN servers,
 * retransmitted on the driver's timer, whose answers become srflx candidates.
 */
export class SrflxProbes {
  private readonly probes = new Map<string, SrflxProbe>();

  constructor(
    private readonly ctx: DriverContext,
    private readonly sockets: HostSockets,
    /** Every mapped address a server reported, including ones equal to their base. */
    private readonly answers: StunAnswer[],
  ) {}

  /** RFC 8445 section 5.1.1.2: a Binding request to the STUN server from the host socket. */
  async probe(socketId: string, hostAddress: string, server: StunServerConfig): Promise<void> {
    const family = hostAddress.includes(':') ? 6 : 4;
    const address = await resolveServerHost(server.host, family);
    if (!address || address.includes(':') !== (family === 6) || this.ctx.isClosed()) return;
    const target = { address, port: server.port ?? 3478 };
    await new Promise<void>((resolve) => {
      const tid = randomBytes(12);
      const bytes = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid).finish({
        fingerprint: true,
      });
      const probe: SrflxProbe = {
        socketId,
        server: target,
        bytes,
        timer: new StunRetransmitTimer(this.ctx.now()),
        resolve,
      };
      this.probes.set(tid.toString('latin1'), probe);
      this.sockets.get(socketId)?.send(bytes, target.port, target.address);
      this.ctx.pump();
    });
  }

  /** True when `msg` answers one of our probes: then it is ours, not the agent's. */
  consume(msg: Buffer): boolean {
    if (this.probes.size === 0 || msg.length < 20 || msg[0]! >= 4) return false;
    const probe = this.probes.get(msg.subarray(8, 20).toString('latin1'));
    if (!probe) return false;
    this.onResponse(probe, msg);
    return true;
  }

  private onResponse(probe: SrflxProbe, msg: Buffer): void {
    const parsed = StunMessage.tryParse(msg);
    if (!parsed || parsed.messageClass !== StunClass.SuccessResponse) return;
    this.probes.delete(parsed.transactionId.toString('latin1'));
    const mapped = parsed.xorMappedAddress();
    const socket = this.sockets.get(probe.socketId);
    if (mapped) this.answers.push({ socketId: probe.socketId, server: probe.server, mapped });
    if (mapped && socket) {
      const base = socket.address();
      const baseAddress = canonicalIp(base.address) ?? base.address;
      // RFC 8445 section 5.1.3: a srflx equal to its base is redundant.
      if (mapped.address !== baseAddress || mapped.port !== base.port) {
        this.ctx.agent.addLocalCandidate({
          socketId: probe.socketId,
          type: 'srflx',
          address: mapped.address,
          port: mapped.port,
          relatedAddress: baseAddress,
          relatedPort: base.port,
          server: `${probe.server.address}:${probe.server.port}`,
        });
      }
    }
    probe.resolve();
    this.ctx.pump();
  }

  /** RFC 8489 section 6.2.1 retransmissions; a probe that times out ends without a candidate. */
  handleTimeout(now: number): void {
    for (const [id, p] of this.probes) {
      const verdict = p.timer.poll(now);
      if (verdict === 'retransmit')
        this.sockets.get(p.socketId)?.send(p.bytes, p.server.port, p.server.address);
      else if (verdict === 'timeout') {
        this.probes.delete(id);
        p.resolve();
      }
    }
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const p of this.probes.values())
      if (next === undefined || p.timer.deadline < next) next = p.timer.deadline;
    return next;
  }

  clear(): void {
    this.probes.clear();
  }
}
