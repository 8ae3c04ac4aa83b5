export { IceAgent } from './agent.js';
export * from './candidate.js';
export type * from './types.js';
