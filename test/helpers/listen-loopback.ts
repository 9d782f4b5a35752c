import type net from 'node:net';

/** Listens on 127.0.0.1 port 0 and returns the port the kernel picked. */
export async function listenLoopback(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener: no TCP address');
  return address.port;
}
