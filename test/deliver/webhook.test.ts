// Each provider's webhook piece against docs/webhooks.md: the documented test vectors, the body
// shapes, and the independent verifiers of test/support/verify.ts accepting what the pieces sign.
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { PROVIDERS } from '../../src/providers/registry.js';
import { hmac, messageId, standardKey } from '../../src/providers/webhook.js';
import { bemSignature, closeSignature, verifyRequest } from '../support/verify.js';

const SECRETS = {
  close: '058bfb6a3d8cfdc4da7c3be5901b16ae11da982b46a25fb2cd7016e97a140a1c',
  seam: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  bem: 'bem_secret_test_1',
  blueai: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
} as const;

describe('the documented test vectors', () => {
  it('Close: key 058b…0a1c, ts 1544271440, body {} → f649…b526, by the product and by the recipe', () => {
    const expected = 'f649eb8a4c4bc016d57f194219d9547ecd2cc22ec0d2d6c82d19aec4a9b6b526';
    expect(closeSignature(SECRETS.close, '1544271440', '{}')).toBe(expected);
    const key = PROVIDERS.close.webhook!.key(SECRETS.close);
    expect(PROVIDERS.close.webhook!.headers({ body: '{}', eventId: 'x', ts: 1544271440, key })['close-sig-hash']).toBe(expected);
  });

  it('Svix: the docs example → v1,g0hM…1OE=, by our HMAC and by standardwebhooks', () => {
    const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    const body = '{"test": 2432232314}';
    expect(`v1,${hmac(standardKey(SECRETS.seam, 'seam'), `msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.${body}`, 'base64')}`).toBe(expected);
    expect(new Webhook(SECRETS.seam).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330_000), body)).toBe(expected);
  });

  it('bem: Stripe\'s construction under bem-signature, checked against the recipe', () => {
    const key = PROVIDERS.bem.webhook!.key(SECRETS.bem);
    const h = PROVIDERS.bem.webhook!.headers({ body: '{"a":1}', eventId: 'x', ts: 1700000000, key });
    expect(h['bem-signature']).toBe(`t=1700000000,v1=${bemSignature(SECRETS.bem, '1700000000', '{"a":1}')}`);
  });
});

describe.each(['close', 'seam', 'bem', 'blueai'] as const)('the %s webhook piece', (name) => {
  const format = PROVIDERS[name].webhook!;
  const raw = '{"id":"evt_1","type":"x.y","n":[1,2],"s":"é"}';

  it('keeps the stored event byte for byte in its body', () => {
    const body = format.body(raw, { subscriptionId: 'whsub_abc' });
    if (name === 'close') expect(body).toBe(`{"event":${raw},"subscription_id":"whsub_abc"}`);
    else expect(body).toBe(raw);
  });

  it('signs so that the independent verifier accepts it now, and not with another secret', () => {
    const body = format.body(raw, { subscriptionId: 'whsub_abc' });
    const ts = Math.floor(Date.now() / 1000);
    const headers = format.headers({ body, eventId: 'evt_1', ts, key: format.key(SECRETS[name]) });
    expect(headers['content-type']).toBe('application/json');
    expect(() => verifyRequest(name, SECRETS[name], headers, body)).not.toThrow();
    expect(() => verifyRequest(name, SECRETS[name], headers, `${body} `)).toThrow();
    const other = name === 'close' ? 'ab'.repeat(32) : name === 'bem' ? 'other' : 'whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldA==';
    expect(() => verifyRequest(name, other, headers, body)).toThrow();
  });

  it('sends no signature without a secret', () => {
    const headers = format.headers({ body: raw, eventId: 'evt_1', ts: 1 });
    expect(Object.keys(headers).some((k) => /sig/.test(k))).toBe(false);
  });
});

describe('secrets and ids', () => {
  it('refuses malformed secrets as usage errors', () => {
    expect(() => PROVIDERS.close.webhook!.key('not hex')).toThrow(/hex signature_key/);
    expect(() => PROVIDERS.seam.webhook!.key('whsec_not base64!')).toThrow(/whsec_/);
  });

  it('gives an event the same svix-id every time, and other events other ids', () => {
    expect(messageId('evt_1')).toBe(messageId('evt_1'));
    expect(messageId('evt_1')).not.toBe(messageId('evt_2'));
    expect(messageId('evt_1')).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });
});
