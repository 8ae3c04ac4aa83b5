export { canUseJsGcm, GcmNonceKeystream } from './gcm-nonce-keystream.js';
export { Ghash } from './ghash.js';
