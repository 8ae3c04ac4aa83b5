export * from './dns-message.js';
export * from './resolver.js';
