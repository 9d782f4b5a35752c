import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { ConnectionConfig } from '../config/connection-config.js';
import {
  CredentialFileError,
  checkKeyPair,
  checkPemFile,
  checkToken,
  readCredentialFile,
  type CredentialFileField,
  type CredentialValues,
} from '../config/credential-files.js';
import type { Logger } from '../logging/logger.js';
import { initialCredentials } from './client-options.js';

/** Editors and kubelet write in several steps: one reload after the burst. */
const SETTLE_MS = 20;

/** One connection's view of its component's credential files. */
export interface CredentialFiles {
  /** The newest good values: the files are read again first (cheap: small, parsed only when changed). */
  refresh(): CredentialValues;
  /** Calls `listener` with the new token whenever the token file changed to a good one. */
  onTokenChange(listener: (token: string) => void): void;
  /** Stops this connection's listening; the last one to close stops the watchers. Idempotent. */
  close(): void;
}

/** Files read and replaced together: the token, the CA, the client certificate with its key. */
interface Group {
  readonly fields: readonly CredentialFileField[];
  /** Checks the files' texts (by field) and returns the values they give; throws CredentialFileError. */
  readonly load: (texts: ReadonlyMap<CredentialFileField, string>, current: CredentialValues) => Partial<CredentialValues>;
  /** The texts last looked at, good or not: unchanged files are neither parsed nor logged again. */
  seen?: string;
}

/**
 * The credential files of one component instance (one ConnectionConfig), shared by all its
 * connections. Keeps the newest good values; a file that changes into something unusable is
 * logged once (field, path and why; never its content) and the previous values stay.
 *
 * Watches each file and its folder: Kubernetes secret and projected volumes replace files by
 * swapping a `..data` symlink in the folder, which a watch on the file alone does not see
 * (it follows the old target).
 */
class CredentialFileSet {
  private values: CredentialValues;
  private readonly groups: Group[] = [];
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly tokenListeners = new Set<(token: string) => void>();
  private settleTimer: NodeJS.Timeout | undefined;
  private readonly readErrors = new Map<CredentialFileField, string>();
  users = 0;

  constructor(
    private readonly conn: ConnectionConfig,
    private readonly logger: Logger,
  ) {
    this.values = initialCredentials(conn);
    const paths = conn.credentialFiles ?? {};
    if (paths.satTokenPath !== undefined) {
      const path = paths.satTokenPath;
      this.groups.push({ fields: ['satTokenPath'], load: (t) => ({ token: checkToken(t.get('satTokenPath') as string, path) }) });
    }
    if (paths.caCertPath !== undefined) {
      const path = paths.caCertPath;
      this.groups.push({ fields: ['caCertPath'], load: (t) => ({ ca: checkPemFile('caCertPath', t.get('caCertPath') as string, path, 'certificate') }) });
    }
    const { clientCertPath, clientKeyPath } = paths;
    if (clientCertPath !== undefined || clientKeyPath !== undefined) {
      const fields = (['clientCertPath', 'clientKeyPath'] as const).filter((f) => paths[f] !== undefined);
      this.groups.push({
        fields,
        load: (t, current) => {
          // A field given inline keeps its Init value; one given by path takes the file's.
          const certText = t.get('clientCertPath');
          const keyText = t.get('clientKeyPath');
          const cert = certText === undefined ? current.cert : checkPemFile('clientCertPath', certText, clientCertPath as string, 'certificate');
          const key = keyText === undefined ? current.key : checkPemFile('clientKeyPath', keyText, clientKeyPath as string, 'key');
          // Blame the key file, or the certificate file when the key is given inline.
          if (cert !== undefined && key !== undefined) checkKeyPair(cert, key, clientKeyPath === undefined ? 'clientCertPath' : 'clientKeyPath');
          return { cert, key };
        },
      });
    }
  }

  refresh(): CredentialValues {
    const paths = this.conn.credentialFiles ?? {};
    let next = this.values;
    for (const group of this.groups) {
      const texts = new Map<CredentialFileField, string>();
      let unreadable = false;
      for (const field of group.fields) {
        const path = paths[field] as string;
        try {
          texts.set(field, readCredentialFile(field, path));
          this.readErrors.delete(field);
        } catch (err) {
          // Mid-rotation or removed: keep what we have; say so once per distinct reason.
          unreadable = true;
          const why = (err as Error).message;
          if (this.readErrors.get(field) !== why) {
            this.readErrors.set(field, why);
            this.logger.warn({ field, path: paths[field], error: why }, 'credential file cannot be read; keeping the previous one');
          }
        }
      }
      if (unreadable) continue;
      const seen = group.fields.map((f) => texts.get(f)).join('\u0000');
      if (seen === group.seen) continue;
      group.seen = seen;
      try {
        next = { ...next, ...group.load(texts, next) };
      } catch (err) {
        const field = err instanceof CredentialFileError ? err.field : group.fields[0];
        this.logger.warn(
          { field, path: field === undefined ? undefined : paths[field], error: (err as Error).message },
          'credential file changed but cannot be used; keeping the previous one',
        );
      }
    }
    const previous = this.values;
    this.values = next;
    if (next !== previous) this.logChanges(previous, next);
    if (next.token !== undefined && next.token !== previous.token) {
      for (const listener of [...this.tokenListeners]) listener(next.token);
    }
    return next;
  }

  private logChanges(previous: CredentialValues, next: CredentialValues): void {
    const changed = (['token', 'ca', 'cert', 'key'] as const).filter((k) => next[k] !== previous[k]);
    if (changed.length > 0) this.logger.info({ changed }, 'credential files reloaded; the next connection uses them');
  }

  addTokenListener(listener: (token: string) => void): void {
    this.tokenListeners.add(listener);
  }

  removeTokenListener(listener: (token: string) => void): void {
    this.tokenListeners.delete(listener);
  }

  /** Watches every file and every folder holding one. */
  startWatching(): void {
    const paths = Object.values(this.conn.credentialFiles ?? {}).filter((p): p is string => p !== undefined);
    for (const path of paths) {
      this.watchPath(path);
      this.watchPath(dirname(path));
    }
  }

  private watchPath(path: string): void {
    this.watchers.get(path)?.close();
    this.watchers.delete(path);
    try {
      // Not persistent: a watcher never keeps the process alive.
      const watcher = watch(path, { persistent: false }, () => this.changed());
      watcher.on('error', () => {
        // The watched file went away (replaced): the folder's watcher sees its successor.
        watcher.close();
        if (this.watchers.get(path) === watcher) this.watchers.delete(path);
      });
      this.watchers.set(path, watcher);
    } catch {
      // Missing just now (mid-rotation): the folder's watcher sees it appear.
    }
  }

  private changed(): void {
    if (this.settleTimer !== undefined || this.users === 0) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      if (this.users === 0) return;
      this.refresh();
      // A watch on a replaced file follows the old inode: watch the path afresh.
      for (const path of Object.values(this.conn.credentialFiles ?? {})) if (path !== undefined) this.watchPath(path);
    }, SETTLE_MS);
    this.settleTimer.unref();
  }

  stop(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.tokenListeners.clear();
  }
}

/** One set per component instance (its frozen ConnectionConfig), shared by its connections. */
const sets = new WeakMap<ConnectionConfig, CredentialFileSet>();

/** The credential files of `conn` for one connection, or undefined when `conn` names none. */
export function openCredentialFiles(conn: ConnectionConfig, logger: Logger): CredentialFiles | undefined {
  if (conn.credentialFiles === undefined) return undefined;
  let set = sets.get(conn);
  if (set === undefined) {
    set = new CredentialFileSet(conn, logger);
    sets.set(conn, set);
  }
  const shared = set;
  shared.users += 1;
  if (shared.users === 1) shared.startWatching();
  const mine = new Set<(token: string) => void>();
  let closed = false;
  return {
    refresh: () => shared.refresh(),
    onTokenChange(listener) {
      if (closed) return;
      mine.add(listener);
      shared.addTokenListener(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const listener of mine) shared.removeTokenListener(listener);
      shared.users -= 1;
      if (shared.users === 0) {
        shared.stop();
        sets.delete(conn);
      }
    },
  };
}
