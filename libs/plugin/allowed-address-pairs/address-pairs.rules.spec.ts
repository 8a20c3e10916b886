import { describe, expect, it } from 'vitest';
import { addressPairsFor } from './address-pairs.rules.js';

describe('addressPairsFor', () => {
  it('fills the port MAC in and refuses a pair that repeats another once filled in', () => {
    expect(addressPairsFor([{ ip_address: '10.0.0.99' }], 'fa:16:3e:00:00:01')).toEqual([
      { ip_address: '10.0.0.99', mac_address: 'fa:16:3e:00:00:01' },
    ]);
    expect(() =>
      addressPairsFor([{ ip_address: '10.0.0.99' }, { ip_address: '10.0.0.99', mac_address: 'fa:16:3e:00:00:01' }], 'fa:16:3e:00:00:01'),
    ).toThrow(
      expect.objectContaining({
        type: 'DuplicateAddressPairInRequest',
        message: 'Request contains duplicate address pair: mac_address fa:16:3e:00:00:01 ip_address 10.0.0.99.',
      }),
    );
  });
});
