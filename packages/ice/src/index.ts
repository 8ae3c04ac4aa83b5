export * from './stun/index.js';
