import { DataTracker } from '../rx/data-tracker.js';
import { ReassemblyQueue } from '../rx/reassembly-queue.js';
import { RetransmissionQueue } from '../tx/retransmission-queue.js';
import type { SendQueue } from '../tx/send-queue.js';
import type { Capabilities } from './capabilities.js';
import type { AssociationEvent } from './events.js';
import type { AssociationOptions } from './options.js';
import { StreamResetHandler } from './stream-reset-handler.js';

export interface TcbParams {
  localTag: number;
  peerTag: number;
  localInitialTsn: number;
  peerInitialTsn: number;
  peerRwnd: number;
  outboundStreams: number;
  inboundStreams: number;
  capabilities: Capabilities;
}

/**
 * Everything that exists only once both ends know each other's tags and TSNs (RFC 9260 2.4
 * "Transmission Control Block"): receive-side tracking and reassembly, the retransmission queue
 * and stream reset state. The send queue outlives it, so messages can be queued before connecting.
 */
export class TransmissionControlBlock {
  readonly tracker: DataTracker;
  readonly reassembly: ReassemblyQueue;
  readonly rq: RetransmissionQueue;
  readonly reset: StreamResetHandler;

  constructor(
    readonly params: TcbParams,
    options: AssociationOptions,
    sendQueue: SendQueue,
    emit: (e: AssociationEvent) => void,
  ) {
    const interleaved = params.capabilities.messageInterleaving;
    this.tracker = new DataTracker(params.peerInitialTsn, options.maxPacketsPerSack);
    this.reassembly = new ReassemblyQueue(options.maxReceiverWindow, interleaved);
    this.rq = new RetransmissionQueue(
      params.localInitialTsn,
      params.peerRwnd,
      {
        mtu: options.mtu,
        initialCwndMtus: options.initialCwndMtus,
        dataHeaderSize: interleaved ? 20 : 16,
        partialReliability: params.capabilities.partialReliability,
      },
      sendQueue,
    );
    this.reset = new StreamResetHandler(
      params.localInitialTsn,
      params.peerInitialTsn,
      sendQueue,
      this.tracker,
      this.reassembly,
      emit,
    );
  }

  get localTag(): number {
    return this.params.localTag;
  }

  get peerTag(): number {
    return this.params.peerTag;
  }

  get capabilities(): Capabilities {
    return this.params.capabilities;
  }
}
