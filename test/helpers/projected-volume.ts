/**
 * A folder updated the way the kubelet updates a Secret or projected (service-account token)
 * volume: each version is written into a new `..<timestamp>` folder, the `..data` symlink is
 * swapped to it with one rename, and the visible files are symlinks `<name>` → `..data/<name>`.
 * A reader that watches only the file it opened never sees a change; one that watches the folder
 * (or reads the path again) does.
 */
import { chmod, lstat, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ProjectedVolume {
  readonly dir: string;
  /** The path an app is given: `<dir>/<name>`. */
  path(name: string): string;
  /** Replaces the files at once (an atomic `..data` swap); the old version's folder is removed. */
  update(files: Readonly<Record<string, string>>): Promise<void>;
  /** Removes the folder; idempotent. */
  cleanup(): Promise<void>;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** A new volume holding `files`. */
export async function createProjectedVolume(files: Readonly<Record<string, string>>): Promise<ProjectedVolume> {
  const dir = await mkdtemp(path.join(tmpdir(), 'projected-'));
  await chmod(dir, 0o755);
  let generation = 0;
  let current: string | undefined;
  let removed = false;
  const volume: ProjectedVolume = {
    dir,
    path: (name) => path.join(dir, name),
    async update(next) {
      generation += 1;
      const version = `..${new Date().toISOString().replace(/[-:.]/g, '_')}_${generation}`;
      await mkdir(path.join(dir, version), { mode: 0o755 });
      for (const [name, content] of Object.entries(next)) await writeFile(path.join(dir, version, name), content, { mode: 0o644 });
      await symlink(version, path.join(dir, '..data_tmp'));
      await rename(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
      for (const name of Object.keys(next)) {
        if (!(await exists(path.join(dir, name)))) await symlink(path.join('..data', name), path.join(dir, name));
      }
      if (current !== undefined) await rm(path.join(dir, current), { recursive: true, force: true });
      current = version;
    },
    async cleanup() {
      if (removed) return;
      removed = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
  await volume.update(files);
  return volume;
}
