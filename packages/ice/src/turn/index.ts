export * from './channel-data.js';
export * from './client.js';
