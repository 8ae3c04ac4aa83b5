import type { IceAgent } from '../agent/agent.js';

/**
 * What the parts of the Node driver share with their coordinator: the agent they feed, the
 * driver's clock, whether it is closed, and `pump`, which moves every queued output to its
 * socket after a part changed state.
 */
export interface DriverContext {
  readonly agent: IceAgent;
  now(): number;
  isClosed(): boolean;
  pump(): void;
}
