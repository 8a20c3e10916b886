/**
 * DHCPv4 wire format. `parseDhcp` returns undefined for anything malformed (never throws): a server drops such a
 * packet; the fields and options it returns are views on the input bytes. `serializeDhcp` always ends the options
 * with END and pads to MIN_REPLY_BYTES.
 */
import { type DhcpPacket, HEADER_BYTES, MAGIC_COOKIE, MIN_REPLY_BYTES, Option } from './dhcp-packet.js';
import { readIpv4, writeIpv4 } from './ipv4.js';

const SNAME_AT = 44;
const FILE_AT = 108;
const COOKIE_AT = 236;

export function parseDhcp(bytes: Uint8Array): DhcpPacket | undefined {
  if (bytes.length < HEADER_BYTES || bytes[2] > 16) return undefined;
  if (readIpv4(bytes, COOKIE_AT) !== MAGIC_COOKIE) return undefined;
  const options = new Map<number, Uint8Array>();
  if (!readOptions(bytes, HEADER_BYTES, bytes.length, options, true)) return undefined;
  // Option overload (52): the file and/or sname fields carry options too, read in that order (RFC 2131 §4.1).
  const overload = options.get(Option.OVERLOAD);
  if (overload !== undefined) {
    if (overload.length !== 1 || overload[0] < 1 || overload[0] > 3) return undefined;
    if (overload[0] & 1 && !readOptions(bytes, FILE_AT, COOKIE_AT, options, false)) return undefined;
    if (overload[0] & 2 && !readOptions(bytes, SNAME_AT, FILE_AT, options, false)) return undefined;
  }
  return {
    op: bytes[0],
    htype: bytes[1],
    hlen: bytes[2],
    hops: bytes[3],
    xid: readIpv4(bytes, 4),
    secs: (bytes[8] << 8) | bytes[9],
    flags: (bytes[10] << 8) | bytes[11],
    ciaddr: readIpv4(bytes, 12),
    yiaddr: readIpv4(bytes, 16),
    siaddr: readIpv4(bytes, 20),
    giaddr: readIpv4(bytes, 24),
    chaddr: bytes.subarray(28, 44),
    sname: bytes.subarray(SNAME_AT, FILE_AT),
    file: bytes.subarray(FILE_AT, COOKIE_AT),
    options,
  };
}

/** Reads code/length/value triples into `into` (concatenating repeats). False when an option runs past `end`. */
function readOptions(bytes: Uint8Array, start: number, end: number, into: Map<number, Uint8Array>, mainField: boolean): boolean {
  let i = start;
  while (i < end) {
    const code = bytes[i];
    if (code === Option.END) return true;
    if (code === Option.PAD) {
      i++;
      continue;
    }
    if (i + 1 >= end) return false;
    const length = bytes[i + 1];
    if (i + 2 + length > end) return false;
    const value = bytes.subarray(i + 2, i + 2 + length);
    const earlier = into.get(code);
    into.set(code, earlier ? concat(earlier, value) : value);
    i += 2 + length;
  }
  // Some clients omit END when the options fill the datagram exactly; sname/file need no END either.
  return mainField || i === end;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export type DhcpOptionList = Iterable<readonly [number, Uint8Array]>;

export interface DhcpMessage extends Omit<DhcpPacket, 'options'> {
  options: DhcpOptionList;
}

/** Options longer than 255 bytes are split into consecutive instances of the same code (RFC 3396). */
export function serializeDhcp(message: DhcpMessage, minLength = MIN_REPLY_BYTES): Uint8Array {
  const options = Array.isArray(message.options) ? (message.options as (readonly [number, Uint8Array])[]) : [...message.options];
  let optionBytes = 1; // END
  for (const [, value] of options) optionBytes += value.length + 2 * Math.max(1, Math.ceil(value.length / 255));
  const out = zeroed(Math.max(minLength, HEADER_BYTES + optionBytes));
  out[0] = message.op;
  out[1] = message.htype;
  out[2] = message.hlen;
  out[3] = message.hops;
  writeIpv4(out, 4, message.xid);
  out[8] = (message.secs >>> 8) & 0xff;
  out[9] = message.secs & 0xff;
  out[10] = (message.flags >>> 8) & 0xff;
  out[11] = message.flags & 0xff;
  writeIpv4(out, 12, message.ciaddr);
  writeIpv4(out, 16, message.yiaddr);
  writeIpv4(out, 20, message.siaddr);
  writeIpv4(out, 24, message.giaddr);
  copyField(out, message.chaddr, 28, 16);
  copyField(out, message.sname, SNAME_AT, 64);
  copyField(out, message.file, FILE_AT, 128);
  writeIpv4(out, COOKIE_AT, MAGIC_COOKIE);
  let i = HEADER_BYTES;
  for (const [code, value] of options) {
    let offset = 0;
    do {
      const length = Math.min(255, value.length - offset);
      out[i] = code;
      out[i + 1] = length;
      if (offset === 0 && length === value.length) out.set(value, i + 2);
      else for (let k = 0; k < length; k++) out[i + 2 + k] = value[offset + k];
      i += 2 + length;
      offset += 255;
    } while (offset < value.length);
  }
  out[i] = Option.END;
  return out;
}

/** Copies at most `size` bytes (typed-array views are costly to create on a per-packet path). */
function copyField(out: Uint8Array, value: Uint8Array, at: number, size: number): void {
  if (value.length <= size) out.set(value, at);
  else for (let k = 0; k < size; k++) out[at + k] = value[k];
}

/**
 * Replies are carved out of shared slabs, never reused, as Node's Buffer pool does: one ArrayBuffer per reply made
 * the garbage collector the main cost of a reply (3.3 µs instead of 1.5 µs per DISCOVER→OFFER).
 */
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function zeroed(length: number): Uint8Array {
  if (length > SLAB_BYTES / 8) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += (length + 7) & ~7;
  return out;
}
