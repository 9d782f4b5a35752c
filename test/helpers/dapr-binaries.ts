/**
 * Where the real daprd (and the dapr CLI) built by scripts/install-dapr.sh are:
 * `${DAPR_BUILD_CACHE:-$HOME/.cache/dapr-mqtt-pluggable}/daprd-<version>/daprd`, the version
 * read from the Go main's go.mod (dapr/daprd: the pinned release; dapr/daprd-oldest: the oldest
 * release tested). `DAPRD_BIN` / `DAPR_CLI_BIN` override the lookup. A binary that is missing
 * throws one line naming the script that builds it: a test never skips for want of daprd.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which Go main under dapr/ a daprd comes from. */
export type DaprdRelease = 'pinned' | 'oldest';

const MAIN_FOLDERS: Record<DaprdRelease, string> = { pinned: 'daprd', oldest: 'daprd-oldest' };

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'install-dapr.sh'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('dapr-binaries: cannot find the project root (scripts/install-dapr.sh)');
    dir = parent;
  }
}

/** The build cache scripts/install-dapr.sh writes to. */
export function daprBuildCache(): string {
  const configured = process.env.DAPR_BUILD_CACHE?.trim();
  return configured !== undefined && configured !== '' ? configured : join(homedir(), '.cache', 'dapr-mqtt-pluggable');
}

/** The github.com/dapr/dapr version (without the leading v) that dapr/<main>/go.mod requires. */
export function daprdVersion(release: DaprdRelease = 'pinned'): string {
  const goMod = join(projectRoot(), 'dapr', MAIN_FOLDERS[release], 'go.mod');
  const text = readFileSync(goMod, 'utf8');
  const match = /^\s*(?:require\s+)?github\.com\/dapr\/dapr\s+v(\S+)/m.exec(text);
  if (match === null) throw new Error(`${goMod} does not require github.com/dapr/dapr`);
  return match[1]!;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of the daprd binary; throws one line naming scripts/install-dapr.sh when it is missing. */
export function daprdBinary(release: DaprdRelease = 'pinned'): string {
  const override = release === 'pinned' ? process.env.DAPRD_BIN?.trim() : process.env.DAPRD_OLDEST_BIN?.trim();
  const path = override !== undefined && override !== '' ? override : join(daprBuildCache(), `daprd-${daprdVersion(release)}`, 'daprd');
  if (!executable(path)) {
    throw new Error(`daprd not found at ${path}: run bash scripts/install-dapr.sh (needs Go and the Go module proxy)`);
  }
  return path;
}

/**
 * Path of the dapr CLI: `DAPR_CLI_BIN`, else the build of `DAPR_CLI_VERSION`
 * (scripts/install-dapr.sh builds it only when that is set); throws one line when missing.
 */
export function daprCliBinary(): string {
  const override = process.env.DAPR_CLI_BIN?.trim();
  const version = process.env.DAPR_CLI_VERSION?.trim().replace(/^v/, '');
  const path = override !== undefined && override !== '' ? override : version ? join(daprBuildCache(), `cli-${version}`, 'dapr') : undefined;
  if (path === undefined || !executable(path)) {
    throw new Error(
      `dapr CLI not found${path === undefined ? '' : ` at ${path}`}: set DAPR_CLI_VERSION and run bash scripts/install-dapr.sh (the module proxy must serve github.com/dapr/cli), or set DAPR_CLI_BIN`,
    );
  }
  return path;
}
