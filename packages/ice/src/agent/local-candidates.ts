import { addressFamily } from '../stun/address.js';
import { candidatePriority, tcpCandidatePriority } from './candidate.js';
import type { LocalCandidate, LocalCandidateInput } from './types.js';

/** Gives local candidates their foundation (RFC 8445 section 5.1.1.3) and priority (5.1.2). */
export class LocalCandidateFactory {
  private readonly foundations = new Map<string, string>();
  private readonly baseAddresses: string[] = [];

  create(input: LocalCandidateInput, ufrag: string): LocalCandidate {
    const transport = input.transport ?? 'udp';
    const baseAddress = input.type === 'host' ? input.address : (input.relatedAddress ?? input.address);
    // Same type, base, server and transport share a foundation.
    const foundationKey = `${input.type}|${input.type === 'relay' ? input.address : baseAddress}|${input.server ?? ''}|${transport}`;
    let foundation = this.foundations.get(foundationKey);
    if (!foundation) {
      foundation = String(this.foundations.size + 1);
      this.foundations.set(foundationKey, foundation);
    }
    const localPreference = input.localPreference ?? this.defaultLocalPreference(baseAddress);
    return {
      socketId: input.socketId,
      foundation,
      component: 1,
      transport,
      priority:
        transport === 'tcp'
          ? tcpCandidatePriority(input.type, input.tcpType ?? 'passive', localPreference)
          : candidatePriority(input.type, localPreference),
      address: input.address,
      port: input.port,
      type: input.type,
      ...(input.relatedAddress !== undefined ? { relatedAddress: input.relatedAddress } : {}),
      ...(input.relatedPort !== undefined ? { relatedPort: input.relatedPort } : {}),
      ...(input.tcpType !== undefined ? { tcpType: input.tcpType } : {}),
      generation: 0,
      ufrag,
      ...(input.networkId !== undefined ? { networkId: input.networkId } : {}),
      ...(input.networkCost !== undefined ? { networkCost: input.networkCost } : {}),
    };
  }

  /** RFC 8421: prefer IPv6, and give each base address its own preference. */
  private defaultLocalPreference(baseAddress: string): number {
    let index = this.baseAddresses.indexOf(baseAddress);
    if (index < 0) {
      index = this.baseAddresses.length;
      this.baseAddresses.push(baseAddress);
    }
    const familyBonus = addressFamily(baseAddress) === 6 ? 0x8000 : 0x4000;
    return familyBonus + (0x3fff - Math.min(index, 0x3fff));
  }
}
