import { describe, expect, it } from 'vitest';
import {
  aggregateConnectionState,
  aggregateGatheringState,
  aggregateIceConnectionState,
  type RTCDtlsTransportState,
  type RTCIceConnectionState,
} from '../../src/index.js';

const t = (ice: RTCIceConnectionState, dtls: RTCDtlsTransportState) => ({ ice, dtls });

describe('W3C webrtc-pc 4.3.3 RTCPeerConnectionState', () => {
  it('follows the table row by row', () => {
    expect(aggregateConnectionState(true, [t('connected', 'connected')])).toBe('closed');
    expect(aggregateConnectionState(false, [t('failed', 'connected')])).toBe('failed');
    expect(aggregateConnectionState(false, [t('connected', 'failed')])).toBe('failed');
    expect(aggregateConnectionState(false, [t('disconnected', 'connected')])).toBe('disconnected');
    expect(aggregateConnectionState(false, [])).toBe('new');
    expect(aggregateConnectionState(false, [t('new', 'new')])).toBe('new');
    expect(aggregateConnectionState(false, [t('checking', 'new')])).toBe('connecting');
    expect(aggregateConnectionState(false, [t('connected', 'connecting')])).toBe('connecting');
    expect(aggregateConnectionState(false, [t('connected', 'connected')])).toBe('connected');
    expect(aggregateConnectionState(false, [t('completed', 'connected')])).toBe('connected');
    expect(aggregateConnectionState(false, [t('connected', 'closed')])).toBe('connected');
    expect(aggregateConnectionState(false, [t('connected', 'connected'), t('new', 'new')])).toBe(
      'connecting',
    );
  });
});

describe('W3C webrtc-pc 4.3.2 RTCIceConnectionState', () => {
  it('aggregates transports', () => {
    expect(aggregateIceConnectionState(true, ['connected'])).toBe('closed');
    expect(aggregateIceConnectionState(false, ['connected', 'failed'])).toBe('failed');
    expect(aggregateIceConnectionState(false, ['connected', 'disconnected'])).toBe('disconnected');
    expect(aggregateIceConnectionState(false, ['new', 'closed'])).toBe('new');
    expect(aggregateIceConnectionState(false, ['new', 'connected'])).toBe('checking');
    expect(aggregateIceConnectionState(false, ['completed', 'closed'])).toBe('completed');
    expect(aggregateIceConnectionState(false, ['completed', 'connected'])).toBe('connected');
  });
});

describe('W3C webrtc-pc 4.3.1 RTCIceGatheringState', () => {
  it('is complete only when every transport finished', () => {
    expect(aggregateGatheringState([])).toBe('new');
    expect(aggregateGatheringState(['new'])).toBe('new');
    expect(aggregateGatheringState(['gathering', 'complete'])).toBe('gathering');
    expect(aggregateGatheringState(['complete', 'complete'])).toBe('complete');
  });
});
