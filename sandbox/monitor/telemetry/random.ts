// Deterministic randomness for synthetic telemetry: every value comes from a
// generator seeded by a string (the sandbox seed, a role name, a time bucket),
// so the same seed and the same cluster state give the same rows on every
// query, without storing any of them.

/** FNV-1a over the string's UTF-16 code units, then a final avalanche: a 32-bit seed. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Whole number in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** `bytes` random bytes as lowercase hex: span ids (8) and trace ids (16), as OpenTelemetry makes them. */
  hex(bytes: number): string;
}

const byteHex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** mulberry32: small, fast, and good enough for plausible telemetry. */
export function seededRandom(seed: string): Random {
  let state = hashSeed(seed);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    hex: (bytes) => {
      let out = "";
      for (let i = 0; i < bytes; i += 4) {
        const n = Math.floor(next() * 4294967296);
        out += byteHex[n >>> 24]! + byteHex[(n >>> 16) & 255]! + byteHex[(n >>> 8) & 255]! + byteHex[n & 255]!;
      }
      return bytes % 4 ? out.slice(0, bytes * 2) : out;
    },
  };
}

/** A GUID (version-4 shape) from the generator. */
export function randomGuid(random: Random): string {
  const hex = random.hex(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
