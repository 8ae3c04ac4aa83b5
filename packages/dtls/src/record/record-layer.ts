import { ContentType, DTLS_1_2 } from '../constants.js';
import type { Dtls12RecordAead } from '../crypto/aead.js';
import { type DtlsRecord, encodeRecord, RECORD_HEADER_LENGTH } from './record.js';
import { ReplayWindow } from './replay-window.js';

const MAX_SEQ = 2 ** 48 - 1;

interface EpochState {
  aead: Dtls12RecordAead | null;
  nextSeq: number;
}

export interface OpenedRecord {
  type: number;
  epoch: number;
  seq: number;
  data: Buffer;
}

export type RecordDropReason = 'malformed' | 'unknown-epoch' | 'replay' | 'bad-auth' | 'bad-version';

/**
 * DTLS 1.2 record layer state: per-epoch write sequence numbers and keys, per-epoch read keys and
 * replay windows (RFC 6347 4.1). Epochs 0 and 1 are the only ones we ever use because renegotiation
 * is refused, but the maps keep older epochs usable for retransmitted flights (RFC 6347 4.2.4).
 */
export class Dtls12RecordLayer {
  private readonly write = new Map<number, EpochState>([[0, { aead: null, nextSeq: 0 }]]);
  private readonly read = new Map<number, { aead: Dtls12RecordAead | null; window: ReplayWindow }>([
    [0, { aead: null, window: new ReplayWindow() }],
  ]);
  /** The epoch new records are written in; bumped after we send ChangeCipherSpec. */
  writeEpoch = 0;
  /** Protocol version written in record headers. */
  version = DTLS_1_2;

  installWriteEpoch(epoch: number, aead: Dtls12RecordAead): void {
    this.write.set(epoch, { aead, nextSeq: 0 });
  }

  installReadEpoch(epoch: number, aead: Dtls12RecordAead): void {
    this.read.set(epoch, { aead, window: new ReplayWindow() });
  }

  hasReadEpoch(epoch: number): boolean {
    return this.read.has(epoch);
  }

  /** RFC 6347 4.2.1: a stateless HelloVerifyRequest may restart the peer's numbering. */
  resetReadWindow(epoch: number): void {
    this.read.get(epoch)?.window.reset();
  }

  /** Lets a server continue from the client's record number, as RFC 6347 4.2.1 suggests. */
  advanceWriteSeq(epoch: number, seq: number): void {
    const st = this.write.get(epoch);
    if (st && seq > st.nextSeq) st.nextSeq = seq;
  }

  overhead(epoch: number): number {
    return RECORD_HEADER_LENGTH + (this.write.get(epoch)?.aead?.overhead ?? 0);
  }

  /** Builds one record; each call consumes a fresh sequence number (also for retransmissions). */
  protect(epoch: number, type: number, payload: Buffer): Buffer {
    const st = this.write.get(epoch);
    if (!st) throw new Error(`no write state for epoch ${epoch}`);
    if (st.nextSeq > MAX_SEQ) throw new Error('record sequence number space exhausted');
    const seq = st.nextSeq++;
    if (!st.aead) return encodeRecord({ type, version: this.version, epoch, seq, fragment: payload });
    return st.aead.seal(type, this.version, epoch, seq, payload);
  }

  /**
   * Authenticates and replay-checks one record; returns the reason when it must be dropped
   * (RFC 6347 4.1.2.7: invalid records are discarded silently).
   */
  unprotect(record: DtlsRecord): OpenedRecord | RecordDropReason {
    const st = this.read.get(record.epoch);
    if (!st) return 'unknown-epoch';
    if (!st.window.check(record.seq)) return 'replay';
    let data = record.fragment;
    if (st.aead) {
      const opened = st.aead.open(record.type, record.version, record.epoch, record.seq, record.fragment);
      if (!opened) return 'bad-auth';
      data = opened;
    } else if (record.type === ContentType.application_data) {
      // Application data is never valid unprotected.
      return 'bad-auth';
    }
    st.window.mark(record.seq);
    return { type: record.type, epoch: record.epoch, seq: record.seq, data };
  }
}
