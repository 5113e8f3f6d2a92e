import { createCipheriv, createHmac, randomBytes } from 'node:crypto';

/** One key of a PSKC document built for a test. */
export interface BuiltKey {
  serial: string;
  secret: Uint8Array;
  kind?: 'totp' | 'hotp';
  digits?: number;
  period?: number;
  counter?: number;
  validUntil?: string;
}

/**
 * A PSKC document (RFC 6030) as a vendor would send it, written with node:crypto independently of
 * the reader under test: plain values, or with `psk` AES-128-CBC encryption and an HMAC-SHA1
 * ValueMAC under a MAC key that is itself encrypted with the pre-shared key (§6.1).
 */
export function buildPskc(keys: readonly BuiltKey[], psk?: Uint8Array): string {
  const macKey = randomBytes(20);
  const encrypt = (plain: Uint8Array): Buffer => {
    if (psk === undefined) throw new Error('no key');
    const iv = randomBytes(16);
    const c = createCipheriv('aes-128-cbc', psk, iv);
    return Buffer.concat([iv, c.update(plain), c.final()]);
  };
  const cipherValue = (b: Buffer) =>
    `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><xenc:CipherData><xenc:CipherValue>${b.toString('base64')}</xenc:CipherValue></xenc:CipherData>`;
  const secretXml = (secret: Uint8Array) => {
    if (psk === undefined)
      return `<PlainValue>${Buffer.from(secret).toString('base64')}</PlainValue>`;
    const enc = encrypt(secret);
    const mac = createHmac('sha1', macKey).update(enc).digest('base64');
    return `<EncryptedValue>${cipherValue(enc)}</EncryptedValue><ValueMAC>${mac}</ValueMAC>`;
  };
  const packages = keys
    .map((k) => {
      const kind = k.kind ?? 'totp';
      return (
        `<KeyPackage><DeviceInfo><Manufacturer>Inkan Test Fobs</Manufacturer><SerialNo>${k.serial}</SerialNo></DeviceInfo>` +
        `<Key Id="${k.serial}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${kind}"><Issuer>Inkan</Issuer>` +
        `<AlgorithmParameters><ResponseFormat Length="${k.digits ?? 8}" Encoding="DECIMAL"/></AlgorithmParameters>` +
        `<Data><Secret>${secretXml(k.secret)}</Secret>` +
        (kind === 'totp'
          ? `<TimeInterval><PlainValue>${k.period ?? 60}</PlainValue></TimeInterval>`
          : `<Counter><PlainValue>${k.counter ?? 0}</PlainValue></Counter>`) +
        `</Data>${k.validUntil ? `<Policy><ExpiryDate>${k.validUntil}</ExpiryDate></Policy>` : ''}</Key></KeyPackage>`
      );
    })
    .join('\n');
  const head =
    psk === undefined
      ? ''
      : `<EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></EncryptionKey>` +
        `<MACMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1"><MACKey>${cipherValue(encrypt(macKey))}</MACKey></MACMethod>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">
${head}
${packages}
</KeyContainer>
`;
}
