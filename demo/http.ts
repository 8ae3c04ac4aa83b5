import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Room } from './room.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

const MAX_BODY = 256 * 1024;

function reply(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Static files from `root` and the signalling endpoint `POST /api/connect`. */
export function createHandler(root: string, room: Room) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/api/connect') {
        if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'POST an offer\n');
        let sdp: unknown;
        try {
          sdp = (JSON.parse(await readBody(req)) as { sdp?: unknown }).sdp;
        } catch {
          return reply(res, 400, 'text/plain', 'expected JSON {"sdp": "..."}\n');
        }
        if (typeof sdp !== 'string') return reply(res, 400, 'text/plain', 'expected JSON {"sdp": "..."}\n');
        const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
        try {
          const answer = await room.connect(sdp, remote);
          return reply(res, 200, 'application/json', JSON.stringify(answer));
        } catch (err) {
          return reply(res, 400, 'text/plain', `${(err as Error).message}\n`);
        }
      }
      if (url.pathname === '/api/peers') {
        return reply(res, 200, 'application/json', JSON.stringify({ peers: room.names() }));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'GET only\n');
      const relative = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
      const file = join(root, relative);
      if (!file.startsWith(root + sep)) return reply(res, 403, 'text/plain', 'forbidden\n');
      const type = TYPES[extname(file)];
      if (!type) return reply(res, 404, 'text/plain', 'not found\n');
      const body = await readFile(file).catch(() => undefined);
      if (!body) return reply(res, 404, 'text/plain', 'not found\n');
      return reply(res, 200, type, body);
    } catch (err) {
      if (!res.headersSent) reply(res, 500, 'text/plain', 'internal error\n');
      console.error(err);
    }
  };
}
