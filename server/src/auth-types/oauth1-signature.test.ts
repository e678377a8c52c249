import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  baseStringUri,
  percentEncode,
  requestParameters,
  sign,
  signatureBaseString,
} from './oauth1-signature.js';

describe('RFC 5849 signature base string (§3.4.1.1 example)', () => {
  // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b, Host: example.com, body "c2&a3=2+q".
  const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
  const oauth: [string, string][] = [
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
  ];

  it('reproduces the published base string exactly', () => {
    const base = signatureBaseString('POST', url, [...oauth, ...requestParameters(url, 'c2&a3=2+q')]);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('builds the base string URI per §3.4.1.2', () => {
    expect(baseStringUri(new URL('HTTP://EXAMPLE.COM:80/r%20v/X?id=123'))).toBe('http://example.com/r%20v/X');
    expect(baseStringUri(new URL('https://www.example.net:8080/?q=1'))).toBe('https://www.example.net:8080/');
  });

  it('percent-encodes per §3.6', () => {
    expect(percentEncode("Ladies + Gentlemen!*'()~")).toBe('Ladies%20%2B%20Gentlemen%21%2A%27%28%29~');
    expect(percentEncode('☃')).toBe('%E2%98%83');
  });
});

describe('Twitter "creating a signature" example', () => {
  it('produces hCtSmYh+iHYCEqBWrE7C7hYmtUk=', () => {
    const url = new URL('https://api.twitter.com/1.1/statuses/update.json?include_entities=true');
    const params: [string, string][] = [
      ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
      ['include_entities', 'true'],
      ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
      ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
      ['oauth_version', '1.0'],
    ];
    const base = signatureBaseString('POST', new URL(url.origin + url.pathname), params);
    expect(base).toBe(
      'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
    );
    const signature = sign(
      'HMAC-SHA1',
      base,
      'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    );
    expect(signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');

    // The same through the header builder, with the body given as a form.
    const header = authorizationHeader({
      method: 'POST',
      url,
      formBody: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      signatureMethod: 'HMAC-SHA1',
      timestamp: '1318622958',
      nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    });
    expect(header).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
    expect(header.startsWith('OAuth ')).toBe(true);
  });
});

describe('PLAINTEXT and HMAC-SHA256', () => {
  it('PLAINTEXT is the encoded key (§3.4.4)', () => {
    expect(sign('PLAINTEXT', 'ignored', 'djr9rjt0jd78jf88', 'jjd99$tj88uiths3')).toBe(
      'djr9rjt0jd78jf88&jjd99%24tj88uiths3',
    );
    expect(sign('PLAINTEXT', 'ignored', 'djr9rjt0jd78jf88')).toBe('djr9rjt0jd78jf88&');
  });
  it('HMAC-SHA256 keys the same way with SHA-256', () => {
    expect(sign('HMAC-SHA256', 'base', 'c s', 't')).toBe(
      createHmac('sha256', 'c%20s&t').update('base').digest('base64'),
    );
  });
});
