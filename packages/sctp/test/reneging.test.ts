import { describe, expect, it } from 'vitest';
import type { Fragment } from '../src/common/fragment.js';
import { type Chunk, serializePacket } from '../src/index.js';
import type { OutgoingMessage } from '../src/tx/outgoing-message.js';
import { ItemState, OutstandingData } from '../src/tx/outstanding-data.js';
import { Pair } from './helpers/pair.js';

function message(id: number): OutgoingMessage {
  return {
    id,
    streamId: 1,
    ppid: 53,
    payload: Buffer.alloc(100),
    unordered: false,
    maxRetransmits: undefined,
    expiresAt: undefined,
    offset: 100,
    ssn: id,
    mid: id,
    nextFsn: 1,
    abandoned: false,
    tsns: [],
    endAssigned: false,
  };
}

function fragment(m: OutgoingMessage): Fragment {
  return {
    streamId: 1,
    ssn: m.ssn,
    mid: m.mid,
    fsn: 0,
    ppid: 53,
    payload: m.payload,
    unordered: false,
    beginning: true,
    end: true,
  };
}

const noAbandon = () => {
  throw new Error('nothing is abandoned here');
};

describe('reneged gap-acked data (RFC 9260 6.2, 6.2.1 D iv)', () => {
  it('only the cumulative ack frees data; TSNs no longer gap-acked are in flight again', () => {
    const o = new OutstandingData(1);
    for (let i = 1; i <= 6; i++) {
      const m = message(i);
      o.insert(fragment(m), m, 0);
    }
    expect(o.bytesInFlight).toBe(600);
    // cum 1, gap block TSN 3..6.
    let r = o.handleSack(1, [{ start: 2, end: 5 }], 10, false, noAbandon);
    expect(r.reneged).toBe(0);
    expect(o.bytesInFlight).toBe(100);
    // Gap-acked data is kept: a receiver may still renege on it.
    for (const t of [3, 4, 5, 6]) expect(o.get(t)?.state).toBe(ItemState.Acked);
    // The receiver dropped 4 and 5: the next SACK covers TSN 3 and 6 only.
    r = o.handleSack(
      1,
      [
        { start: 2, end: 2 },
        { start: 5, end: 5 },
      ],
      20,
      false,
      noAbandon,
    );
    expect(r.reneged).toBe(2);
    expect(o.get(4)?.state).toBe(ItemState.InFlight);
    expect(o.get(5)?.state).toBe(ItemState.InFlight);
    expect(o.get(4)?.nacks).toBe(1); // one miss indication each
    expect(o.bytesInFlight).toBe(300);
    // T3-rtx (RFC 9260 6.3.3 E3) retransmits them with the never-acked TSN 2, not TSN 3 and 6.
    o.markAllForRetransmit(30, noAbandon);
    const again = o.takeRetransmissions(30, 10_000, 16, noAbandon).map((i) => i.tsn);
    expect(again).toEqual([2, 4, 5]);
    // Acked by gap again, then the cumulative ack frees everything.
    o.handleSack(1, [{ start: 2, end: 5 }], 40, false, noAbandon);
    expect(o.bytesInFlight).toBe(100);
    o.handleSack(6, [], 50, false, noAbandon);
    expect(o.isEmpty).toBe(true);
    expect(o.bytesInFlight).toBe(0);
  });

  it('gap-acked TSNs above the highest TSN a SACK reports are not taken as reneged (a receiver may truncate its gap blocks)', () => {
    const o = new OutstandingData(1);
    for (let i = 1; i <= 10; i++) {
      const m = message(i);
      o.insert(fragment(m), m, 0);
    }
    // Blocks 3..4 and 7..9 gap-acked.
    o.handleSack(
      1,
      [
        { start: 2, end: 3 },
        { start: 6, end: 8 },
      ],
      1,
      false,
      noAbandon,
    );
    // A truncated report: only the first block. 7..9 are above what it covers: still acked.
    let r = o.handleSack(1, [{ start: 2, end: 3 }], 2, false, noAbandon);
    expect(r.reneged).toBe(0);
    expect(o.get(8)?.state).toBe(ItemState.Acked);
    // A SACK reaching past them (TSN 10) without them: now they were reneged.
    r = o.handleSack(
      1,
      [
        { start: 2, end: 3 },
        { start: 9, end: 9 },
      ],
      3,
      false,
      noAbandon,
    );
    expect(r.reneged).toBe(3);
    expect(o.get(8)?.state).toBe(ItemState.InFlight);
  });

  it('after T3 expiry, gap-acked TSNs no SACK could report on are retransmitted too', () => {
    const o = new OutstandingData(1);
    for (let i = 1; i <= 4; i++) {
      const m = message(i);
      o.insert(fragment(m), m, 0);
    }
    o.handleSack(0, [{ start: 3, end: 4 }], 1, false, noAbandon); // 3, 4 gap-acked
    o.handleSack(0, [], 2, false, noAbandon); // reports nothing beyond the cumulative ack
    expect(o.get(3)?.state).toBe(ItemState.Acked);
    o.markAllForRetransmit(3, noAbandon);
    expect(o.takeRetransmissions(3, 10_000, 16, noAbandon).map((i) => i.tsn)).toEqual([1, 2, 3, 4]);
    // A later SACK gap-acking them counts them as acked again.
    o.handleSack(0, [{ start: 3, end: 4 }], 4, false, noAbandon);
    expect(o.bytesInFlight).toBe(200);
  });

  it('reneged TSNs count as miss indications toward fast retransmit (RFC 9260 7.2.4)', () => {
    const o = new OutstandingData(1);
    for (let i = 1; i <= 8; i++) {
      const m = message(i);
      o.insert(fragment(m), m, 0);
    }
    o.handleSack(0, [{ start: 2, end: 2 }], 1, false, noAbandon); // TSN 2 gap-acked
    o.handleSack(0, [{ start: 3, end: 3 }], 2, false, noAbandon); // 2 reneged (1 miss), 3 acked
    expect(o.get(2)?.nacks).toBe(1);
    o.handleSack(0, [{ start: 3, end: 4 }], 3, false, noAbandon); // 4 newly acked: 2 missed again
    const r = o.handleSack(0, [{ start: 3, end: 5 }], 4, false, noAbandon);
    expect(r.fastRetransmit).toBe(true);
    expect(o.get(2)?.state).toBe(ItemState.ToRetransmit);
  });

  it('an association retransmits reneged data and still delivers every message once', () => {
    let tagOfA = 0;
    const p = new Pair({
      filter: (bytes, from) => {
        if (from === 'b') tagOfA = bytes.readUInt32BE(4);
        return false;
      },
    });
    p.connect();
    // Hold a's first DATA packet back so b gap-acks the rest.
    let held: Buffer | undefined;
    for (let i = 0; i < 5; i++) p.a.send(1, 53, Buffer.alloc(1000, i), {}, p.now);
    const firstTsn = { value: -1 };
    for (let x = p.a.pollTransmit(p.now); x; x = p.a.pollTransmit(p.now)) {
      if (!held) {
        held = x;
        firstTsn.value = x.readUInt32BE(16);
      } else p.b.handlePacket(x, p.now);
    }
    // b's SACK gap-acks TSN +1..+4; a takes it.
    for (let x = p.b.pollTransmit(p.now); x; x = p.b.pollTransmit(p.now)) p.a.handlePacket(x, p.now);
    expect(p.a.congestion!.inFlight).toBe(1000);
    // A forged SACK from a receiver that reneged on TSN +1..+3 and kept +4.
    const sack: Chunk = {
      type: 'sack',
      cumulativeTsnAck: (firstTsn.value - 1) >>> 0,
      aRwnd: 100_000,
      gapBlocks: [{ start: 5, end: 5 }],
      duplicateTsns: [],
    };
    p.a.handlePacket(
      serializePacket({ sourcePort: 5000, destinationPort: 5000, verificationTag: tagOfA, chunks: [sack] }),
      p.now,
    );
    expect(p.a.stats.renegedTsns).toBe(3);
    expect(p.a.congestion!.inFlight).toBe(4000);
    p.b.handlePacket(held!, p.now);
    p.flush();
    p.runUntil(() => p.messages('b').length === 5 && p.a.congestion!.inFlight === 0, 10_000);
    expect(p.messages('b').map((m) => m.data[0])).toEqual([0, 1, 2, 3, 4]);
    expect(p.a.congestion!.inFlight).toBe(0);
  });
});
