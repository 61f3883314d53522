/**
 * /favicon.ico, which browsers ask for on every page that names no icon (the public pages, the docs, the demo), so
 * none of them logs a 404. Drawn here as one 32×32 PNG inside an ICO directory, the same shape as the web app's
 * own web/src/favicon.svg (a white L on the brand blue): no binary file to keep.
 */
import { crc32, deflateSync } from 'node:zlib';
import { Router } from 'express';
import { documentedPage } from '../openapi/route.js';

const BRAND = [0x1d, 0x4e, 0xd8] as const;
const SIZE = 32;
const RADIUS = 6;
/** The icon's pixels: transparent outside the rounded square, white inside the L, brand blue elsewhere. */
const pixel = (x: number, y: number): [number, number, number, number] => {
  const cx = Math.min(Math.max(x + 0.5, RADIUS), SIZE - RADIUS);
  const cy = Math.min(Math.max(y + 0.5, RADIUS), SIZE - RADIUS);
  if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > RADIUS ** 2) return [0, 0, 0, 0];
  const isL = (x >= 10 && x < 14 && y >= 7 && y < 24) || (x >= 10 && x < 23 && y >= 20 && y < 24);
  return isL ? [255, 255, 255, 255] : [...BRAND, 255];
};

const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

const png = () => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows: number[] = [];
  for (let y = 0; y < SIZE; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < SIZE; x++) rows.push(...pixel(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

/** An ICO directory with one PNG image (supported by every current browser). */
export const faviconIco = () => {
  const image = png();
  const dir = Buffer.alloc(6 + 16);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // icon
  dir.writeUInt16LE(1, 4); // one image
  dir.writeUInt8(SIZE, 6);
  dir.writeUInt8(SIZE, 7);
  dir.writeUInt16LE(1, 10); // colour planes
  dir.writeUInt16LE(32, 12); // bits per pixel
  dir.writeUInt32LE(image.length, 14);
  dir.writeUInt32LE(dir.length, 18);
  return Buffer.concat([dir, image]);
};

export const faviconRouter = () => {
  const router = Router();
  const ico = faviconIco();
  const cache = 'public, max-age=86400';
  documentedPage(
    router,
    { path: '/favicon.ico', tags: ['Pages'], summary: 'The site icon (ICO)', produces: 'image/x-icon', responses: { 200: 'The icon' } },
    (_req, res) => {
      res.setHeader('Cache-Control', cache);
      res.type('image/x-icon').send(ico);
    },
  );
  return router;
};
