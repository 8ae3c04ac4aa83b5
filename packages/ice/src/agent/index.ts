export { IceAgent } from './agent.js';
export * from './candidate.js';
export { IceDemux } from './demux.js';
export type * from './types.js';
