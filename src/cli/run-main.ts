import { parseRunArgv } from '../docker-cli/parse-argv.js';
import { SafedockError, reportError } from '../errors.js';
import { connect, withDefaultTag, type Engine, type EngineFacts, type ImageFacts } from '../engine/engine.js';
import type { NetworkSummary } from '../engine/engine-api.js';
import { describeEngine, engineNotices } from '../engine/describe.js';
import { selectEngine, type EngineSelection } from '../engine/select.js';
import { MIN_API_VERSION } from '../engine/negotiate.js';
import type { Decision } from '../policy/decide.js';
import { judgePlan } from '../policy/judge.js';
import { mayAsk } from '../prompt/terminal.js';
import { settle } from './settle.js';
import { finalize, needsImageFacts, plan, prepare, type Prepared } from '../run/pipeline.js';
import { accountsFor, accountsNeeded, engineObjectsFor, hostFactsFor } from '../run/gather-facts.js';
import { pinHostPaths, verifyPins } from '../run/pin-paths.js';
import type { RunFacts } from '../policy/facts.js';
import { nodeHostView } from '../policy/host-paths.js';
import { invokingUser } from '../policy/host-user.js';
import { needsAccounts } from '../policy/image-accounts.js';
import { planToJson, planToText } from '../run/render-plan.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { SpecLayer } from '../docker-cli/to-spec.js';
import type { RunSpec } from '../model/run-spec.js';
import { InterruptGuard, pullImage, runContainer, type RunIO } from '../engine/run-container.js';
import { OutputTail } from '../engine/output-tail.js';
import { renderExplainHelp, renderRunHelp } from '../docker-cli/run-help.js';
import { ensureIsolatedNetwork } from '../engine/isolated-network.js';
import type { RunEnvironment } from '../run/run-environment.js';
import { helpColumns } from '../text/wrap.js';
import { locateConfigError } from '../presets/yaml-file.js';
import { migrateInitPorts } from '../init/migrate-ports.js';
import { checkJsonUse, quietRequested, runNotes, writeJsonFile, type RunNotes } from './run-output.js';

export type { RunEnvironment } from '../run/run-environment.js';

/**
 * `safedock run`: parse docker's grammar, merge the preset, then create and run the container
 * through the engine. Resolves with the process exit code; never throws.
 */
export async function runMain(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  const { io, env } = environment;
  try {
    return await runPipeline(argv, environment);
  } catch (err) {
    return reportError(await locateConfigError(err), io.stderr, 'run', env);
  }
}

async function runPipeline(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  const { io, env, cwd } = environment;
  const given = parseRunArgv([...argv]);
  if (given.own.help) {
    io.stdout.write(renderRunHelp(helpColumns(io.stdout, env)));
    return 0;
  }
  checkJsonUse(given, 'run');
  const notes = runNotes(io.stderr, quietRequested(given, env));
  const connecting = connectEarly(environment, given.image);
  // One turn of the event loop: the requests go out now, not when prepare is done.
  await new Promise<void>((resolve) => setImmediate(resolve));
  // Your flags are converted here, once: their errors come before any engine's, as docker's do.
  const prepared = await prepareRun(given, environment, notes);
  if (given.own.dryRun) return dryRun(prepared, environment, connecting);

  const flags = prepared.user.spec;
  const attachesStdin = flags.detach !== true && (flags.interactive === true || (flags.attach ?? []).includes('stdin'));
  if (attachesStdin && flags.tty === true && io.stdin.isTTY !== true) {
    throw new SafedockError('the input device is not a TTY', {
      code: 'not-a-tty',
      exitCode: 1,
      hint: 'Drop -t when stdin is a pipe or file (keep -i to pass it through), or run from a terminal.',
    });
  }
  // Said first: a refusal before the engine is asked must not hide which files were ignored.
  const chosen = prepared.notes ?? [];
  for (const note of chosen) notes.say(note, prepared.alerts?.includes(note) === true ? 'alert' : 'note');
  const invoker = invokingUser();
  // One view of the host for the whole run: the paths the rules judge, the facts gathered and the
  // paths sent are all resolved once, through its cache (a link flipped meanwhile cannot split them).
  const host = nodeHostView(env, cwd, invoker);
  const judging = { ...judgeContext(prepared, environment), host };

  // 1. Every rule that needs neither the engine nor the image, before the engine's answers are awaited.
  const early = plan(prepared, undefined, { env, cwd });
  const earlyHost = hostFactsFor(early, undefined, host, invoker);
  const refusedEarly = await refuseEarly(
    judgePlan({ ...early, facts: { stage: 'early', host: earlyHost } }, judging),
    given,
    environment,
    notes,
  );
  if (refusedEarly !== undefined) return refusedEarly;
  // The isolated network's list is a read: asked for now, it is answered while the run is judged.
  const networkListed = listNetworkEarly(connecting, early.isolatedNetwork);

  // 2. The engine: the volumes and containers the run names, then the image (inspected, not pulled).
  const explicitUser = prepared.user.spec.user ?? presetUser(prepared);
  const wantsImage =
    needsImageFacts(prepared.preset, prepared.user) ||
    (explicitUser !== undefined && needsAccounts(explicitUser, early.spec.groupAdd));
  const imageRef = wantsImage ? given.image : undefined;
  const pull = prepared.user.spec.pull ?? 'missing';
  const engine = await connecting.engine;
  const objects = await engineObjectsFor(engine, early.spec);
  let image = imageRef === undefined || pull === 'always' ? undefined : await engine.inspectImage(imageRef);
  let pulled = false;
  if (imageRef !== undefined && image === undefined) {
    // A pull contacts a registry: everything the engine's facts decide is judged first.
    const before = plan(prepared, undefined, { env, cwd });
    const facts: RunFacts = {
      stage: 'early',
      host: hostFactsFor(before, objects, host, invoker),
      engine: objects,
    };
    const refused = await refuseEarly(judgePlan({ ...before, facts }, judging), given, environment, notes);
    if (refused !== undefined) return refused;
    ({ image, pulled } = await inspectOrPull(engine, imageRef, prepared.user.spec, io));
  }

  // 3. The image's account files when the user needs them, then the full judgement.
  const kind = engine.facts.kind;
  const first = plan(prepared, image, { env, cwd, apiVersion: engine.apiVersion, engineKind: kind });
  const accounts =
    image !== undefined && accountsNeeded(first.spec, image) ? await accountsFor(engine, image) : undefined;
  const runPlan =
    accounts === undefined || typeof accounts === 'string'
      ? first
      : plan(prepared, image, { env, cwd, apiVersion: engine.apiVersion, accounts, engineKind: kind });
  for (const note of runPlan.notes) if (!chosen.includes(note)) notes.say(note);
  const hostFacts = hostFactsFor(runPlan, objects, host, invoker);
  const facts: RunFacts = {
    stage: 'full',
    host: hostFacts,
    engine: objects,
    engineLimits: engine.facts,
    ...(accounts === undefined ? {} : { accounts }),
  };
  const decision = await settle(judgePlan({ ...runPlan, facts }, judging), given, { io, env }, notes);
  if (typeof decision === 'number') return decision;

  // 4. The engine gets the host paths the policy judged, checked once more before the start.
  const pins = pinHostPaths(runPlan.spec, hostFacts, host);
  for (const note of pins.notes) notes.say(note);
  const { request, notes: finalNotes } = finalize({ ...runPlan, spec: pins.spec }, decision, {
    apiVersion: engine.apiVersion,
    ...terminalSize(io),
    pulled,
  });
  for (const note of [...finalNotes, ...engineNotices(engine)]) notes.say(note);
  const judgedReplaceable = new Set(
    Object.values(hostFacts.paths)
      .filter((p) => p.replaceable !== undefined)
      .map((p) => p.real),
  );
  const beforeStart = (): void => verifyPins(pins.pinned, invoker, judgedReplaceable);
  // The preset's isolated network exists before the container that joins it is created.
  if (runPlan.isolatedNetwork !== undefined) {
    const listed = runPlan.isolatedNetwork === early.isolatedNetwork ? networkListed?.fresh() : undefined;
    await ensureIsolatedNetwork(engine, runPlan.isolatedNetwork, listed === undefined ? {} : { listed });
  }
  if (request.client.detach) return await runContainer(engine, request, io, { beforeStart });

  // A foreground run keeps the tail of its output: when the container dies of the hardening, one
  // block after its output says why and how to fix it. -q and SAFEDOCK_QUIET silence it.
  const tail = new OutputTail();
  let id: string | undefined;
  const exitCode = await runContainer(engine, request, io, {
    beforeStart,
    observer: {
      output: (chunk) => tail.output(chunk),
      created: (created) => (id = created),
    },
  });
  if (exitCode !== 0 && !notes.quiet) {
    const { foregroundDiagnosis } = await import('../learn/run-diagnosis.js');
    const block = await foregroundDiagnosis({
      engine,
      runPlan,
      request,
      parsed: given,
      cwd,
      id,
      exitCode,
      output: tail.text(),
    });
    if (block !== undefined) io.stderr.write(block);
  }
  return exitCode;
}

/** How long an early list of the isolated network stands for the engine's state: a run's own pace. */
const EARLY_LIST_FRESH_MS = 1_000;

/**
 * The engine's list of networks named `name`, asked for as soon as the engine answers. `fresh()`
 * gives it while it is recent, undefined once a question or a pull has taken longer: the network
 * may have been replaced meanwhile, and is listed again. A run that ends before it needs the list
 * (a refusal, an engine error reported elsewhere) leaves it unread: its failure is then nobody's
 * to report.
 */
function listNetworkEarly(
  connecting: EarlyEngine,
  name: string | undefined,
): { fresh(): Promise<NetworkSummary[]> | undefined } | undefined {
  if (name === undefined) return undefined;
  const asked = Date.now();
  const listed = connecting.engine.then((engine) => engine.networksNamed(name));
  listed.catch(() => undefined);
  return { fresh: () => (Date.now() - asked < EARLY_LIST_FRESH_MS ? listed : undefined) };
}

/** The user a preset sets with its `user` setting, if any. */
function presetUser(prepared: Prepared): string | undefined {
  const setting = prepared.preset.settings.user;
  return setting === undefined ? undefined : String(setting.value);
}

/**
 * An early judgement refuses now what the full one would refuse anyway: without a terminal (or
 * under enforce), a finding that needs consent ends the run before the engine, a registry or the
 * image is asked anything. With a terminal the question waits for the full judgement, asked once.
 */
async function refuseEarly(
  decision: Decision,
  given: ParsedRun,
  environment: RunEnvironment,
  notes: RunNotes,
): Promise<number | undefined> {
  const { io, env } = environment;
  if (decision.verdict === 'proceed' || (decision.verdict === 'ask' && mayAsk(io.stderr, env))) return undefined;
  const settled = await settle(decision, given, { io, env }, notes);
  return typeof settled === 'number' ? settled : undefined;
}

/** The engine chosen and asked who it is, started before prepare; its errors wait for `engine`. */
interface EarlyEngine {
  /** undefined when choosing failed: `engine` then rejects with why. */
  selection: EngineSelection | undefined;
  engine: Promise<Engine>;
}

/**
 * Starts connecting while prepare converts your flags and reads the presets: the engine answers
 * (and inspects the image, should the plan need its user) in the meantime. Nothing is reported
 * until `engine` is awaited, so a usage error still comes first and a connection error after it.
 */
function connectEarly({ env, globals }: RunEnvironment, image: string | undefined): EarlyEngine {
  let selection: EngineSelection | undefined;
  let engine: Promise<Engine>;
  try {
    selection = selectEngine(env, globals);
    engine = connect(selection, image === undefined ? { env } : { image, env });
  } catch (err) {
    engine = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  // Awaited later, or never when prepare fails: not an unhandled rejection meanwhile.
  engine.catch(() => undefined);
  return { selection, engine };
}

/** prepare, with the picker choosing the preset when --pick was given. */
async function prepareRun(given: ParsedRun, environment: RunEnvironment, notes: RunNotes): Promise<Prepared> {
  const { io, env, cwd } = environment;
  // Ports an earlier safedock init put into the folder's preset move to a service, once.
  for (const note of await migrateInitPorts(cwd)) notes.say(note);
  const choose = given.own.pick
    ? async (user: SpecLayer): Promise<string> => {
        // The picker (and inquirer) load only when asked for; the choice then runs like --preset.
        const { pickForRun } = await import('../pick/run-picker.js');
        return pickForRun(given, user, environment);
      }
    : undefined;
  return prepare(given, { env, cwd, mayAsk: mayAsk(io.stderr, env) }, choose);
}

function judgeContext(prepared: Prepared, { env, cwd }: RunEnvironment) {
  const { mode, modeFrom, flagAccepts, project } = prepared;
  return { mode, modeFrom, flagAccepts, project, env, cwd };
}

/** docker sends the size of its terminal at create whenever its stdout is one, with or without -t. */
function terminalSize(io: RunIO): { consoleSize?: readonly [number, number] } {
  const { rows, columns } = io.stdout;
  return io.stdout.isTTY && rows > 0 && columns > 0 ? { consoleSize: [rows, columns] } : {};
}

/** The image's facts, pulling it first when it is missing and the pull policy allows. */
async function inspectOrPull(
  engine: Engine,
  ref: string,
  user: Partial<RunSpec>,
  io: RunIO,
): Promise<{ image: ImageFacts | undefined; pulled: boolean }> {
  const policy = user.pull ?? 'missing';
  const quiet = user.quiet ?? false;
  let pulled = false;
  let image = policy === 'always' ? undefined : await engine.inspectImage(ref);
  if (image === undefined) {
    if (policy === 'never') {
      throw new SafedockError(`Error response from daemon: No such image: ${withDefaultTag(ref)}`, {
        code: 'no-such-image',
        hint: `--pull never was given and the engine has no image ${ref}; build or load it first, or allow a pull.`,
      });
    }
    if (policy === 'missing' && !quiet) io.stderr.write(`Unable to find image '${withDefaultTag(ref)}' locally\n`);
    // No container exists yet: an interrupt during the pull ends the run at once (128+signal).
    const interrupts = new InterruptGuard();
    try {
      await pullImage(engine, ref, { client: { quiet }, ...(user.platform ? { platform: user.platform } : {}) }, io);
    } finally {
      interrupts.release();
    }
    pulled = true;
    image = await engine.inspectImage(ref);
    if (image === undefined)
      throw new SafedockError(`the image ${ref} is still missing after the pull`, { code: 'no-such-image' });
  }
  return { image, pulled };
}

/**
 * `safedock explain [run options] IMAGE`: every setting a run would have, where it comes from
 * (preset file and key, your flag, image tailoring) and which preset values your flags replaced.
 * Takes run's options and grammar; creates nothing.
 */
export async function explainMain(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  try {
    const given = parseRunArgv([...argv], { command: 'explain' });
    if (given.own.help) {
      environment.io.stdout.write(renderExplainHelp(helpColumns(environment.io.stdout, environment.env)));
      return 0;
    }
    const notes = runNotes(environment.io.stderr, quietRequested(given, environment.env));
    const connecting = connectEarly(environment, given.image);
    await new Promise<void>((resolve) => setImmediate(resolve));
    return await dryRun(await prepareRun(given, environment, notes), environment, connecting, 'explain');
  } catch (err) {
    return reportError(await locateConfigError(err), environment.io.stderr, 'explain', environment.env);
  }
}

/** --dry-run and explain: the plan and the policy's verdict; the engine is asked about the image only. */
async function dryRun(
  prepared: Prepared,
  environment: RunEnvironment,
  connecting: EarlyEngine,
  view: 'plan' | 'explain' = 'plan',
): Promise<number> {
  const { io, env, cwd } = environment;
  const { parsed, preset } = prepared;
  const invoker = invokingUser();
  const host = nodeHostView(env, cwd, invoker);
  let image: ImageFacts | undefined;
  let apiVersion = MIN_API_VERSION;
  let facts: EngineFacts | undefined;
  let objects: RunFacts['engine'];
  let accounts: RunFacts['accounts'];
  const engineNotes: string[] = [];
  try {
    const { selection } = connecting;
    if (selection === undefined)
      await connecting.engine; // throws why no engine was chosen
    else engineNotes.push(describeEngine(selection));
    const engine = await connecting.engine;
    engineNotes[engineNotes.length - 1] = describeEngine(engine.selection, engine.facts);
    facts = engine.facts;
    apiVersion = engine.apiVersion;
    objects = await engineObjectsFor(engine, plan(prepared, undefined, { env, cwd }).spec);
    if (parsed.image !== undefined) {
      image = await engine.inspectImage(parsed.image);
      if (image === undefined && needsImageFacts(preset, prepared.user))
        engineNotes.push(`the engine has no image ${parsed.image}; a real run would pull it first`);
      const first = plan(prepared, image, { env, cwd, engineKind: facts.kind });
      if (accountsNeeded(first.spec, image))
        accounts =
          image === undefined
            ? `the engine has no image ${parsed.image} yet; a real run reads them after the pull`
            : await accountsFor(engine, image);
    }
  } catch (err) {
    engineNotes.push(
      `no engine answered (${err instanceof Error ? err.message : String(err)}); planned for API ${apiVersion}`,
    );
  }
  const readable = accounts === undefined || typeof accounts === 'string' ? undefined : accounts;
  const runPlan = plan(prepared, image, { env, cwd, accounts: readable, engineKind: facts?.kind });
  runPlan.notes.unshift(...engineNotes);
  const hostFacts = hostFactsFor(runPlan, objects, host, invoker);
  const runFacts: RunFacts = {
    // Without an engine, what needs its facts is judged from the model alone, as before they were gathered.
    stage: 'full',
    host: hostFacts,
    ...(objects === undefined ? {} : { engine: objects }),
    ...(accounts === undefined ? {} : { accounts }),
    ...(facts === undefined ? {} : { engineLimits: facts }),
  };
  const decision = judgePlan({ ...runPlan, facts: runFacts }, { ...judgeContext(prepared, environment), host });
  const pins = pinHostPaths(runPlan.spec, hostFacts, host);
  runPlan.notes.push(...pins.notes);
  const { request } = finalize({ ...runPlan, spec: pins.spec }, undefined, { apiVersion, ...terminalSize(io) });
  const json = (): unknown => planToJson(runPlan, request, apiVersion, decision);
  if (parsed.own.jsonFile !== undefined) writeJsonFile(parsed.own.jsonFile, json());
  io.stdout.write(
    parsed.own.json
      ? `${JSON.stringify(json(), null, 2)}\n`
      : planToText(runPlan, request, apiVersion, view, decision, {
          columns: helpColumns(io.stdout, env),
          verbose: parsed.own.verbose,
        }),
  );
  return 0;
}
