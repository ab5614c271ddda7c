import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

/**
 * What engine selection reads from the machine: files and the home folder. Passed in, so that
 * selection is a pure function of its inputs and its tables run without touching the disk.
 */
export interface EngineFs {
  /** The file's bytes, or undefined when there is no such file; other failures throw. */
  readFile(path: string): Buffer | undefined;
  /** The user's home folder (docker reads $HOME first, then the account database). */
  homedir(): string;
}

export const nodeEngineFs: EngineFs = {
  readFile(path) {
    try {
      return readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
  homedir: () => homedir(),
};
