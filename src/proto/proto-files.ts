/**
 * Where the .proto files are, and the one way this program reads them outside gRPC: a
 * protobufjs Root per set of files. (gRPC services load the same folder with
 * @grpc/proto-loader, from src/grpc/proto-loader-options.ts.)
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** proto/ at the package root (from src/proto/ under tsx and from dist/src/proto/ alike). */
export const PROTO_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../proto' : '../../proto', import.meta.url));

/** Loads `files` (paths under proto/; google/protobuf/* from protobufjs's own copies), field names in camelCase. */
export function loadProtoRoot(files: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(PROTO_DIR, target));
  root.loadSync([...files], { keepCase: false });
  return root;
}
