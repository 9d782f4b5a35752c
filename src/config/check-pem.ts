import { X509Certificate, createPrivateKey } from 'node:crypto';

/**
 * A PEM certificate (chain) or private key, checked by parsing it; returns the PEM to use.
 * Throws an Error saying why it is not valid; the message never quotes the PEM.
 */
export function checkPem(text: string, kind: 'certificate' | 'key'): string {
  // YAML folded into one line sometimes carries literal "\n": accept it.
  const pem = text.includes('-----BEGIN') && !text.includes('\n') ? text.replace(/\\n/g, '\n') : text;
  if (kind === 'certificate') {
    if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw new Error('no PEM CERTIFICATE block');
    new X509Certificate(pem);
  } else {
    createPrivateKey(pem);
  }
  return pem;
}
