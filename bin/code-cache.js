// Loads the run bundle (dist/run.bundle.cjs) with a V8 code cache: the functions a run compiled
// last time are read back instead of being parsed and compiled again (several milliseconds of
// every run's start). Node 20 offers this for scripts only (vm.Script's cachedData), which is
// why the bundle is a CommonJS script.
//
// The cache is a convenience, never an authority:
// - Content: a cache file holds a copy of the exact bundle it was made from and is used only when
//   that copy equals the bundle being run, byte for byte; V8 itself refuses data from another
//   Node version or other V8 flags. A new build therefore simply makes a new cache.
// - Place: $XDG_CACHE_HOME/safedock (absolute), else ~/.cache/safedock. A file is read only when
//   it is a regular file (not a link) owned by the user running safedock and writable by nobody
//   else, so a shared or hostile cache folder cannot feed it code. It is written only into folders
//   of that user's own, to a private temporary file first and renamed into place, so a reader
//   never sees half a file.
// - Failure: a folder that cannot be created or written (read-only, full, no HOME), or any
//   unreadable or refused cache, means running without one: the bundle is compiled as usual.
'use strict';
const fs = require('node:fs');
const { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync } = fs;
const { unlinkSync, writeSync, constants: fsConstants } = fs;
const { isAscii } = require('node:buffer');
const { createRequire } = require('node:module');
const { basename, dirname, isAbsolute, join } = require('node:path');
const vm = require('node:vm');

const MAGIC = Buffer.from('sdv8c\u0001\n\0', 'latin1');
/** magic, the bundle's length (uint32), how far the run that made it got (uint8). */
const HEADER = MAGIC.length + 5;
// The script's first line is the wrapper's; lineOffset puts the bundle's own lines back in place.
const WRAPPER_HEAD = Buffer.from('(function (exports, require, module, __filename, __dirname) {\n');
const WRAPPER_TAIL = Buffer.from('\n})');

/**
 * Runs the bundle and returns its exports; `cached` says whether V8 took compiled code from the
 * cache. `save(depth)` writes the cache when there was none or when this run compiled more of the
 * bundle than the one that made it (depth: 1 for a run that stopped early, 2 for one that went
 * all the way); call it when the command is done.
 */
function loadCached(file, env) {
  // The bundle is read once, into the middle of its wrapper: one copy of the bytes, one string.
  const size = statSync(file).size;
  const wrapped = Buffer.allocUnsafe(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length);
  WRAPPER_HEAD.copy(wrapped);
  readWhole(file, wrapped.subarray(WRAPPER_HEAD.length, WRAPPER_HEAD.length + size));
  WRAPPER_TAIL.copy(wrapped, WRAPPER_HEAD.length + size);
  const source = wrapped.subarray(WRAPPER_HEAD.length, WRAPPER_HEAD.length + size);
  const cacheFile = cacheFileFor(file, env);
  const cached = cacheFile === undefined ? undefined : readCache(cacheFile, source);
  // esbuild writes ASCII; latin1 then makes V8's compact one-byte string without decoding.
  const script = new vm.Script(wrapped.toString(isAscii(wrapped) ? 'latin1' : 'utf8'), {
    filename: file,
    lineOffset: -1,
    ...(cached === undefined ? {} : { cachedData: cached.data }),
  });
  // The bundle's import() calls come here (scripts/bundle.mjs routes them): import() inside a
  // script compiled from a code cache has no callback in Node's vm. This one is a module's own,
  // and resolves from bin/ as it would from dist/ (the same node_modules).
  const module = { exports: {}, importModule: (specifier) => import(specifier) };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const usedDepth = cached === undefined || script.cachedDataRejected === true ? 0 : cached.depth;
  // The bytes are kept only while a better cache may still be written from them.
  let kept = usedDepth < 2 ? source : undefined;
  return {
    exports: module.exports,
    /** Whether V8 took compiled code from the cache. */
    cached: usedDepth > 0,
    save(depth) {
      if (cacheFile !== undefined && kept !== undefined && depth > usedDepth)
        writeCache(cacheFile, kept, script, depth);
      kept = undefined;
    },
  };
}

/** The cache file for this bundle and user, or undefined when there is nowhere to keep one. */
function cacheFileFor(file, env) {
  if (typeof process.getuid !== 'function') return undefined;
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.cache') : undefined;
  if (base === undefined) return undefined;
  // One file per installed bundle (several checkouts do not take turns), Node version and user;
  // which bundle it holds is checked by content.
  const bundle = basename(file).replace(/\.c?js$/, '');
  const name = `${bundle}-${placeOf(file)}-node${process.versions.node}-${process.arch}-${process.getuid()}.v8`;
  return join(base, 'safedock', name);
}

/** A short name for the bundle's folder (FNV-1a of its path): not a check, only a file name. */
function placeOf(file) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function readWhole(file, into) {
  const fd = openSync(file, 'r');
  try {
    for (let at = 0; at < into.length;) {
      const n = readSync(fd, into, at, into.length - at, at);
      if (n === 0) throw new Error(`${file} changed while it was read`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** The cached data and its depth, when the file is ours, private, and made from this very bundle. */
function readCache(cacheFile, source) {
  let fd;
  try {
    fd = openSync(cacheFile, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0) return undefined;
    const dataSize = stat.size - HEADER - source.length;
    if (dataSize <= 0) return undefined;
    const header = Buffer.alloc(HEADER);
    if (readSync(fd, header, 0, HEADER, 0) !== HEADER) return undefined;
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (header.readUInt32LE(MAGIC.length) !== source.length) return undefined;
    // The copy of the bundle is compared a piece at a time, so it is never all in memory.
    const piece = Buffer.allocUnsafe(Math.min(65536, source.length));
    for (let at = 0; at < source.length;) {
      const n = readSync(fd, piece, 0, Math.min(piece.length, source.length - at), HEADER + at);
      if (n === 0 || !piece.subarray(0, n).equals(source.subarray(at, at + n))) return undefined;
      at += n;
    }
    const data = Buffer.allocUnsafe(dataSize);
    if (readSync(fd, data, 0, dataSize, HEADER + source.length) !== dataSize) return undefined;
    return { depth: header[MAGIC.length + 4], data };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeCache(cacheFile, source, script, depth) {
  const dir = dirname(cacheFile);
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    ownFolder(dirname(dir));
    ownFolder(dir);
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header);
    header.writeUInt32LE(source.length, MAGIC.length);
    header[MAGIC.length + 4] = depth;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      for (const part of [header, source, script.createCachedData()]) {
        for (let at = 0; at < part.length;) at += writeSync(fd, part, at, part.length - at);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(temp, cacheFile);
    removeStale(dir, cacheFile);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
  }
}

/**
 * A folder of the user's own, made when missing (in a folder of theirs), else an error: root
 * running with someone's HOME (sudo keeps it on some systems) must not leave that person a
 * cache folder they cannot write. One level at a time, never mkdir's recursive mode: on a file
 * system that answers mkdir strangely (procfs says ENOENT for a parent that exists) Node's
 * recursive mkdir never returns.
 */
function ownFolder(dir) {
  const uid = process.getuid();
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (stat === undefined) {
    if (lstatSync(dirname(dir)).uid !== uid) throw new Error(`${dirname(dir)} is not ours to write in`);
    mkdirSync(dir, { mode: 0o700 });
  } else if (!stat.isDirectory() || stat.uid !== uid) {
    throw new Error(`${dir} is not a folder of ours`);
  }
}

/** This user's caches of the same bundle for other Node versions are dropped with a new one. */
function removeStale(dir, kept) {
  const keptName = kept.slice(dir.length + 1);
  const prefix = keptName.slice(0, keptName.indexOf('-node') + 1);
  const suffix = `-${process.getuid()}.v8`;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === kept || !name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    try {
      if (lstatSync(path).uid === process.getuid()) unlinkSync(path);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

module.exports = { loadCached };
