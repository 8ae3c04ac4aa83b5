import type { DtlsSetupRole, SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { expectWords, parseWord, requireValue } from '../tokens.js';

const HEX_PAIRS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/;

/** RFC 8122 5: `a=fingerprint:<hash-func> SP <fingerprint>`, fingerprint = 2UHEX *(":" 2UHEX). */
export function parseFingerprint(value: string | undefined): SdpAttributeOf<'fingerprint'> {
  const [algorithm, hex] = expectWords(requireValue(value, 'fingerprint'), 2, 'a=fingerprint') as [
    string,
    string,
  ];
  if (!HEX_PAIRS.test(hex)) sdpFail('a=fingerprint value is not colon-separated hex');
  return { type: 'fingerprint', algorithm, value: hex };
}

export function formatFingerprint(a: SdpAttributeOf<'fingerprint'>): string {
  return `fingerprint:${a.algorithm} ${a.value}`;
}

/** The certificate digest bytes a fingerprint value denotes. */
export function fingerprintToBytes(value: string): Buffer {
  if (!HEX_PAIRS.test(value)) sdpFail('fingerprint value is not colon-separated hex');
  return Buffer.from(value.replaceAll(':', ''), 'hex');
}

/** RFC 8122 5: upper-case hex pairs joined by colons. */
export function bytesToFingerprint(digest: Uint8Array): string {
  return Array.from(digest, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

const SETUP_ROLES: readonly DtlsSetupRole[] = ['actpass', 'active', 'passive', 'holdconn'];

/** RFC 4145 4: `a=setup:active|passive|actpass|holdconn`. */
export function parseSetup(value: string | undefined): SdpAttributeOf<'setup'> {
  const role = parseWord(value, 'setup');
  if (!(SETUP_ROLES as readonly string[]).includes(role)) sdpFail(`a=setup has unknown role ${role}`);
  return { type: 'setup', role: role as DtlsSetupRole };
}
