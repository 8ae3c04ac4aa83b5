/** A transport address on the simulated network. `host` is any string: '10.0.0.1', '::1', 'a'. */
export interface SimAddress {
  readonly host: string;
  readonly port: number;
}

export interface Datagram {
  readonly from: SimAddress;
  readonly to: SimAddress;
  readonly data: Uint8Array;
}

export function addressKey(a: SimAddress): string {
  return `${a.host}|${a.port}`;
}

export function sameAddress(a: SimAddress, b: SimAddress): boolean {
  return a.host === b.host && a.port === b.port;
}
