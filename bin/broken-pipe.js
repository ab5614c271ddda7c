'use strict';
/**
 * A write to stdout or stderr after the reader went away (`safedock … | head -1`) ends the
 * process silently with 141, as a program killed by SIGPIPE: what docker does for its own output.
 * Node would otherwise throw the EPIPE as an unhandled 'error' event, with a stack trace. Code
 * that wants to say more (a run copying a container's output) listens on the stream itself; this
 * handler then stays out of the way.
 */
function endQuietlyOnBrokenPipe(streams) {
  for (const stream of streams) {
    stream.on('error', (err) => {
      if (stream.listenerCount('error') > 1) return;
      process.exit(err && err.code === 'EPIPE' ? 141 : 1);
    });
  }
}

module.exports = { endQuietlyOnBrokenPipe };
