export * from './host-addresses.js';
export * from './ice-tcp.js';
export * from './ice-transport.js';
export * from './udp-socket.js';
