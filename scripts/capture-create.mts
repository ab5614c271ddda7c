// Shows the requests the docker CLI sends for a `docker run` argv, through the test suite's
// recording proxy (the create request is answered by the proxy, so nothing is created):
//   npx tsx scripts/capture-create.mts -p 8080:80 -e A=1 IMAGE true
import { execFile } from 'node:child_process';
import { startRecordingProxy } from '../test/helpers/recording-proxy.ts';

const socket = `/tmp/safedock-capture-${process.pid}.sock`;
const proxy = await startRecordingProxy(socket);
await new Promise<void>((resolve) =>
  execFile('docker', ['-H', `unix://${socket}`, 'run', ...process.argv.slice(2)], (err, _out, stderr) => {
    process.stderr.write(`docker exit ${err?.code ?? 0}: ${stderr}`);
    resolve();
  }),
);
for (const r of proxy.requests) console.log(r.method, r.path, JSON.stringify(r.body));
await proxy.close();
