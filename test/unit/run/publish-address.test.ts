import { describe, expect, it } from 'vitest';
import { namesAddress, publishOn } from '../../../src/run/publish-address.js';

describe('publishOn 127.0.0.1', () => {
  it.each([
    ['80', '127.0.0.1::80'],
    ['80/udp', '127.0.0.1::80/udp'],
    ['8080:80', '127.0.0.1:8080:80'],
    ['8080:80/tcp', '127.0.0.1:8080:80/tcp'],
    ['7000-7001:8000-8001', '127.0.0.1:7000-7001:8000-8001'],
    ['8000-8001:9000', '127.0.0.1:8000-8001:9000'],
    [':8080:80', '127.0.0.1:8080:80'],
    ['::80', '127.0.0.1::80'],
    ['published=8081,target=81,protocol=udp', '127.0.0.1:8081:81/udp'],
    ['target=81,published=8081', '127.0.0.1:8081:81'],
    ['target=81', '127.0.0.1::81'],
  ])('%s -> %s', (spec, expected) => {
    expect(publishOn(spec, '127.0.0.1')).toBe(expected);
    expect(namesAddress(spec)).toBe(false);
  });

  it.each([
    ['127.0.0.1:8080:80'],
    ['0.0.0.0:8080:80'],
    ['0.0.0.0::80'],
    ['[::]:8080:80'],
    ['[::1]:6000:6000'],
    ['[::]::53/udp'],
    ['10.0.0.5:443:443/tcp'],
    // Unbracketed IPv6, as docker splits it: everything before the last two fields is the ip.
    ['::1:8080:80'],
    [':::8080:80'],
    ['fe80::1:8080:80/udp'],
  ])('keeps the address the user named: %s', (spec) => {
    expect(publishOn(spec, '127.0.0.1')).toBe(spec);
    expect(namesAddress(spec)).toBe(true);
  });

  it.each([
    ['published=8081,target=81,host-ip=0.0.0.0', '0.0.0.0:8081:81'],
    ['published=53,target=53,protocol=udp,host-ip=::', '[::]:53:53/udp'],
  ])('honours an explicit host-ip in the long form: %s -> %s', (spec, expected) => {
    expect(publishOn(spec, '127.0.0.1')).toBe(expected);
    expect(namesAddress(spec)).toBe(true);
  });

  it('leaves a long spec without a target for docker to refuse', () => {
    expect(publishOn('published=8081', '127.0.0.1')).toBe('published=8081');
  });
});
