export * from './agent/index.js';
export * from './mdns/index.js';
export * from './node/index.js';
export * from './stun/index.js';
export * from './tcp/index.js';
export * from './turn/index.js';
