/**
 * Test PKI made with the openssl CLI in a temp folder (EC P-256 keys, valid 2 days):
 *   ca               self-signed CA that signs everything below
 *   server           CN=localhost, SAN DNS:localhost + IP:127.0.0.1 (serverAuth)
 *   client           CN=test-client (clientAuth)
 *   wrongHostServer  CN/SAN wrong.example.invalid: signed by the CA, fails hostname checks
 *   otherCa          an unrelated self-signed CA
 *   untrustedClient  a client cert signed by otherCa (a mutual-TLS server must refuse it)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertFiles {
  /** PEM text of the certificate. */
  cert: string;
  /** PEM text of the private key (unencrypted). */
  key: string;
  certPath: string;
  keyPath: string;
}

export interface TestPki {
  dir: string;
  ca: CertFiles;
  server: CertFiles;
  client: CertFiles;
  wrongHostServer: CertFiles;
  otherCa: CertFiles;
  untrustedClient: CertFiles;
  /** Removes the folder; idempotent. */
  cleanup(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function load(dir: string, name: string): Promise<CertFiles> {
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  return {
    cert: await readFile(certPath, 'utf8'),
    key: await readFile(keyPath, 'utf8'),
    certPath,
    keyPath,
  };
}

async function makeCa(dir: string, name: string, cn: string): Promise<CertFiles> {
  await openssl(
    [
      'req', '-x509', ...keyArgs, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2',
      '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return load(dir, name);
}

async function makeLeaf(dir: string, name: string, ca: string, cn: string, extensions: string[]): Promise<CertFiles> {
  await openssl(['req', '-new', ...keyArgs, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
  await writeFile(path.join(dir, `${name}.ext`), `${['basicConstraints=CA:FALSE', ...extensions].join('\n')}\n`);
  await openssl(
    [
      'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`,
      '-set_serial', String(Date.now() + Math.floor(Math.random() * 1e6)),
      '-out', `${name}.crt`, '-days', '2', '-sha256', '-extfile', `${name}.ext`,
    ],
    dir,
  );
  return load(dir, name);
}

/** Another client certificate (clientAuth) signed by the test CA, e.g. to rotate to. */
export async function issueClientCertificate(pki: TestPki, name: string, cn: string): Promise<CertFiles> {
  return makeLeaf(pki.dir, name, 'ca', cn, ['keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth']);
}

/** Generates the whole set (about half a second). */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mqtt-pki-'));
  try {
    const ca = await makeCa(dir, 'ca', 'mqtt-pluggable test CA');
    const otherCa = await makeCa(dir, 'other-ca', 'unrelated test CA');
    const serverExt = ['keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'];
    const clientExt = ['keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'];
    const [server, client, wrongHostServer, untrustedClient] = await Promise.all([
      makeLeaf(dir, 'server', 'ca', 'localhost', [...serverExt, 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
      makeLeaf(dir, 'client', 'ca', 'test-client', clientExt),
      makeLeaf(dir, 'wrong-host', 'ca', 'wrong.example.invalid', [...serverExt, 'subjectAltName=DNS:wrong.example.invalid']),
      makeLeaf(dir, 'untrusted-client', 'other-ca', 'untrusted-client', clientExt),
    ]);
    let removed = false;
    return {
      dir,
      ca,
      server,
      client,
      wrongHostServer,
      otherCa,
      untrustedClient,
      async cleanup() {
        if (removed) return;
        removed = true;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
