import { sdpFail } from './parse-error.js';

/** Words separated by one or more spaces (SDP separates fields with SP). */
export function splitWords(text: string): string[] {
  const words = text.split(' ');
  // Single spaces are the norm; filter only when a run of spaces left empty words.
  for (const word of words) if (word.length === 0) return words.filter((w) => w.length > 0);
  return words;
}

/** A decimal integer within [min, max]; anything else is a parse error naming `what`. */
export function parseInteger(text: string, min: number, max: number, what: string): number {
  if (text.length === 0 || text.length > 16) sdpFail(`${what} is not a number: ${text}`);
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) sdpFail(`${what} is not a number: ${text}`);
    value = value * 10 + digit;
  }
  if (value < min || value > max) sdpFail(`${what} out of range [${min}, ${max}]: ${text}`);
  return value;
}

export const MAX_UINT32 = 0xffff_ffff;

export function parsePort(text: string, what = 'port'): number {
  return parseInteger(text, 0, 65535, what);
}

/** RTP payload types are 7 bits (RFC 3550 5.1). */
export function parsePayloadType(text: string): number {
  return parseInteger(text, 0, 127, 'payload type');
}

/** Exactly `count` words, or a parse error. */
export function expectWords(text: string, count: number, what: string): string[] {
  const words = splitWords(text);
  if (words.length !== count) sdpFail(`${what} needs ${count} fields, got ${words.length}`);
  return words;
}

export function requireValue(value: string | undefined, name: string): string {
  if (value === undefined || value.length === 0) sdpFail(`a=${name} needs a value`);
  return value;
}

/** A single non-empty word without spaces. */
export function parseWord(value: string | undefined, name: string): string {
  const words = splitWords(requireValue(value, name));
  if (words.length !== 1) sdpFail(`a=${name} takes one value`);
  return words[0]!;
}

export function isMediaDirection(text: string): text is 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  return text === 'sendrecv' || text === 'sendonly' || text === 'recvonly' || text === 'inactive';
}
