#!/usr/bin/env node
// Writes the token app's PNG icons (192 and 512 px): a vermilion seal frame on the app's cream,
// drawn pixel by pixel and encoded with node:zlib, so no image tool is needed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function icon(size) {
  const cream = [0xfb, 0xf7, 0xf2];
  const red = [0xb0, 0x3a, 0x2e];
  const rows = [];
  const inset = size * 0.15;
  const stroke = size * 0.055;
  for (let y = 0; y < size; y++) {
    const row = [0]; // filter: none
    for (let x = 0; x < size; x++) {
      const dx = Math.min(x - inset, size - inset - x);
      const dy = Math.min(y - inset, size - inset - y);
      const inFrame = dx >= 0 && dy >= 0 && (dx < stroke || dy < stroke);
      // A ring inside the frame: a seal's impression (印影).
      const c = size / 2;
      const r2 = (x - c) ** 2 + (y - c) ** 2;
      const inRing = r2 < (size * 0.22) ** 2 && r2 > (size * 0.22 - stroke) ** 2;
      const inCore = r2 < (size * 0.09) ** 2;
      row.push(...(inFrame || inRing || inCore ? red : cream));
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512])
  writeFileSync(new URL(`../src/token-app/public/icon-${size}.png`, import.meta.url), icon(size));
