import type { LocalCandidateInput } from '@purertc/ice';
import type { DatagramHandler, GatherOptions, PeerDriver } from '../../src/index.js';

/** A driver that opens nothing: one fake host candidate, datagrams go nowhere, no timers. */
export class SimDriverStub implements PeerDriver {
  #now = 0;
  now(): number {
    return this.#now;
  }
  wallClock(): number {
    return 1_700_000_000_000;
  }
  onDatagram(_handler: DatagramHandler): void {}
  async gather(_options: GatherOptions, onCandidate: (c: LocalCandidateInput) => void): Promise<void> {
    onCandidate({ socketId: 'stub', type: 'host', address: '192.0.2.1', port: 9 });
  }
  send(): void {}
  setTimer(): void {}
  close(): void {}
}
