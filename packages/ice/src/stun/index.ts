export * from './address.js';
export * from './builder.js';
export * from './constants.js';
export * from './crc32.js';
export * from './errors.js';
export * from './integrity.js';
export * from './message.js';
export * from './transaction.js';
