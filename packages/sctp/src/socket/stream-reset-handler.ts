import type { ReconfigChunk } from '../packet/chunks/reconfig.js';
import type { Parameter } from '../packet/parameter.js';
import { ReconfigResult } from '../packet/parameters/reconfig-response.js';
import type { DataTracker } from '../rx/data-tracker.js';
import type { ReassemblyQueue } from '../rx/reassembly-queue.js';
import type { SendQueue } from '../tx/send-queue.js';
import type { AssociationEvent } from './events.js';

interface InFlightRequest {
  seq: number;
  streams: number[];
  senderLastTsn: number;
}

/**
 * RFC 6525 stream reset, as WebRTC uses it to close data channels: outgoing requests are sent
 * one at a time once the streams have no partially sent message; incoming requests are
 * performed when all data up to the sender's last TSN has arrived, else deferred.
 */
export class StreamResetHandler {
  private readonly pending = new Set<number>();
  private inFlight: InFlightRequest | undefined;
  /** Set when the in-flight request must be sent (first time or retransmission). */
  private sendRequested = false;
  private nextRequestSeq: number;
  private peerNextRequestSeq: number;
  private lastResult: number = ReconfigResult.SuccessNothingToDo;
  /** Sender's last TSN (unwrapped) of the last deferred reset we completed, so a retry is not reset twice. */
  private lastCompletedDeferred: number | undefined;
  private deferredStreams: number[] | undefined;
  private deferredLastTsn: number | undefined;
  rejected = 0;

  constructor(
    localInitialTsn: number,
    peerInitialTsn: number,
    private readonly sendQueue: SendQueue,
    private readonly tracker: DataTracker,
    private readonly reassembly: ReassemblyQueue,
    private readonly emit: (e: AssociationEvent) => void,
  ) {
    // RFC 6525 3.1: request sequence numbers start at the initial TSN.
    this.nextRequestSeq = localInitialTsn >>> 0;
    this.peerNextRequestSeq = peerInitialTsn >>> 0;
  }

  request(streams: readonly number[]): void {
    for (const s of streams) this.pending.add(s);
    this.sendQueue.pause(streams);
  }

  get hasWork(): boolean {
    return this.pending.size > 0 || this.inFlight !== undefined;
  }

  /** The RE-CONFIG chunk to send now, if any; `nextTsn` is the next TSN we would assign. */
  poll(nextTsnWire: number): ReconfigChunk | undefined {
    if (!this.inFlight && this.pending.size > 0) {
      // At most 256 streams per request so the RE-CONFIG fits a packet; the rest go next time.
      const streams = [...this.pending].slice(0, 256);
      if (!this.sendQueue.canReset(streams)) return undefined;
      for (const id of streams) this.pending.delete(id);
      this.inFlight = { seq: this.nextRequestSeq, streams, senderLastTsn: (nextTsnWire - 1) >>> 0 };
      this.nextRequestSeq = (this.nextRequestSeq + 1) >>> 0;
      this.sendRequested = true;
    }
    if (!this.inFlight || !this.sendRequested) return undefined;
    this.sendRequested = false;
    return {
      type: 'reconfig',
      params: [
        {
          type: 'outgoing-reset-request',
          requestSeq: this.inFlight.seq,
          responseSeq: (this.peerNextRequestSeq - 1) >>> 0,
          senderLastTsn: this.inFlight.senderLastTsn,
          streams: this.inFlight.streams,
        },
      ],
    };
  }

  get awaitingResponse(): boolean {
    return this.inFlight !== undefined && !this.sendRequested;
  }

  /** Reconfig timer expiry: retransmit the same request (RFC 6525 5.1.1). */
  retransmit(): void {
    if (this.inFlight) this.sendRequested = true;
  }

  /** Handles an incoming RE-CONFIG; returns the response chunk to send, if any. */
  handle(chunk: ReconfigChunk): ReconfigChunk | undefined {
    const responses: Parameter[] = [];
    // RFC 6525 3.1: a RE-CONFIG carries at most two parameters; more is a storm we do not feed.
    for (const p of chunk.params.slice(0, 2)) {
      switch (p.type) {
        case 'outgoing-reset-request':
          responses.push(this.handleOutgoingRequest(p.requestSeq, p.senderLastTsn, p.streams));
          break;
        case 'incoming-reset-request':
        case 'ssn-tsn-reset-request':
        case 'add-outgoing-streams':
        case 'add-incoming-streams':
          // WebRTC never needs these; RFC 6525 allows denying them.
          responses.push(this.simpleResponse(p.requestSeq, ReconfigResult.Denied));
          break;
        case 'reconfig-response':
          this.handleResponse(p.responseSeq, p.result);
          break;
        default:
          this.rejected++;
      }
    }
    return responses.length > 0 ? { type: 'reconfig', params: responses } : undefined;
  }

  private simpleResponse(seq: number, result: number): Parameter {
    if (seq === this.peerNextRequestSeq) {
      this.peerNextRequestSeq = (this.peerNextRequestSeq + 1) >>> 0;
      this.lastResult = result;
    } else if (seq === (this.peerNextRequestSeq - 1) >>> 0) {
      result = this.lastResult;
    } else {
      this.rejected++;
      result = ReconfigResult.ErrorBadSequenceNumber;
    }
    if (result !== ReconfigResult.SuccessPerformed && result !== ReconfigResult.InProgress) this.rejected++;
    return { type: 'reconfig-response', responseSeq: seq, result };
  }

  private handleOutgoingRequest(seq: number, senderLastTsn: number, streams: number[]): Parameter {
    if (seq === (this.peerNextRequestSeq - 1) >>> 0) {
      // A retransmission: the answer may have changed from "in progress" to performed.
      if (this.lastResult === ReconfigResult.InProgress && !this.reassembly.hasDeferredReset) {
        this.lastResult = ReconfigResult.SuccessPerformed;
      }
      return { type: 'reconfig-response', responseSeq: seq, result: this.lastResult };
    }
    if (seq !== this.peerNextRequestSeq) {
      this.rejected++;
      return { type: 'reconfig-response', responseSeq: seq, result: ReconfigResult.ErrorBadSequenceNumber };
    }
    this.peerNextRequestSeq = (this.peerNextRequestSeq + 1) >>> 0;
    const last = this.tracker.unwrap(senderLastTsn);
    let result: number;
    if (this.reassembly.hasDeferredReset) {
      // The sender asking again for the reset we are still deferring: still in progress.
      result =
        last === this.deferredLastTsn
          ? ReconfigResult.InProgress
          : ReconfigResult.ErrorRequestAlreadyInProgress;
    } else if (last === this.lastCompletedDeferred) {
      result = ReconfigResult.SuccessPerformed;
    } else if (this.tracker.cumAck >= last) {
      this.reassembly.resetStreams(streams);
      this.emit({ type: 'incoming-streams-reset', streams });
      result = ReconfigResult.SuccessPerformed;
    } else {
      // RFC 6525 5.2.2: deferred until the cumulative TSN reaches senderLastTsn.
      this.reassembly.deferReset(last, streams);
      this.deferredStreams = streams;
      this.deferredLastTsn = last;
      result = ReconfigResult.InProgress;
    }
    this.lastResult = result;
    return { type: 'reconfig-response', responseSeq: seq, result };
  }

  /** Called after DATA or FORWARD-TSN moved the cumulative TSN. */
  onCumAckAdvanced(): void {
    const done = this.reassembly.maybePerformDeferredReset(this.tracker.cumAck);
    if (!done) return;
    this.lastCompletedDeferred = done.senderLastTsn;
    this.emit({ type: 'incoming-streams-reset', streams: this.deferredStreams ?? done.streams });
    this.deferredStreams = undefined;
  }

  private handleResponse(seq: number, result: number): void {
    const req = this.inFlight;
    if (!req || seq !== req.seq) return;
    if (result === ReconfigResult.SuccessPerformed || result === ReconfigResult.SuccessNothingToDo) {
      this.inFlight = undefined;
      this.sendQueue.resetAndResume(req.streams, true);
      this.emit({ type: 'outgoing-streams-reset', streams: req.streams });
    } else if (result === ReconfigResult.InProgress) {
      // Ask again with a new sequence number when the timer fires.
      req.seq = this.nextRequestSeq;
      this.nextRequestSeq = (this.nextRequestSeq + 1) >>> 0;
    } else {
      this.inFlight = undefined;
      this.sendQueue.resetAndResume(req.streams, false);
      this.emit({ type: 'stream-reset-failed', streams: req.streams, reason: `result ${result}` });
    }
  }
}
