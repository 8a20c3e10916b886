import { randomInt } from 'node:crypto';

/**
 * neutron-lib's random_mac_generator: the first 3 octets of `baseMac` are kept, the 4th too when it is not 00, the
 * rest is random. Lower-case, colon separated.
 */
export function macGenerator(baseMac: string, random: (max: number) => number = randomInt): () => string {
  const base = baseMac.toLowerCase().split(':');
  const fixed = base[3] !== '00' ? base.slice(0, 4) : base.slice(0, 3);
  return () => {
    const octets = [...fixed];
    while (octets.length < 6) octets.push(random(256).toString(16).padStart(2, '0'));
    return octets.join(':');
  };
}
