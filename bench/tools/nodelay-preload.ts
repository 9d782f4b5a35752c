/**
 * Measures a proposed change without editing the code under test: preloaded into a process
 * (`node --import dist/bench/tools/nodelay-preload.js`), it turns Nagle's algorithm off
 * (TCP_NODELAY) on every TCP socket the process accepts or opens, as
 * `socket.setNoDelay(true)` in src/broker/listen-tcp.ts (broker) and in the MQTT connection
 * (component) would. Used with BENCH_BROKER_NODE_ARGS / BENCH_COMPONENT_NODE_ARGS.
 */
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

const createServer = net.createServer;
net.createServer = function patchedCreateServer(this: unknown, ...args: unknown[]) {
  const server = (createServer as (...a: unknown[]) => net.Server).apply(this, args);
  server.on('connection', (socket: net.Socket) => socket.setNoDelay(true));
  return server;
} as typeof net.createServer;

const createConnection = net.createConnection;
const patchedConnect = function patchedCreateConnection(this: unknown, ...args: unknown[]) {
  const socket = (createConnection as (...a: unknown[]) => net.Socket).apply(this, args);
  // Unix sockets (the gRPC socket) ignore it.
  socket.setNoDelay(true);
  return socket;
} as typeof net.createConnection;
net.createConnection = patchedConnect;
net.connect = patchedConnect;
syncBuiltinESMExports();
