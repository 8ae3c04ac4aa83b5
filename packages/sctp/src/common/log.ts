import { debuglog } from 'node:util';

/** NODE_DEBUG=purertc:sctp enables it; off by default. */
export const log = debuglog('purertc:sctp');
