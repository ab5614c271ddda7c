import { connect, type Engine, type ImageFacts } from '../engine/engine.js';
import { processGlobals } from '../engine/global-options.js';
import { selectEngine } from '../engine/select.js';
import { MAX_API_VERSION } from '../engine/negotiate.js';

/** What the previews know about the image, and a note when they know less than a run will. */
export interface ImageLookup {
  image: ImageFacts | undefined;
  apiVersion: string;
  note: string | undefined;
}

/**
 * One connection and one inspection for all previews. Without an engine or the image the
 * previews are still drawn, assuming a root image (as a run does before tailoring), and say so.
 */
export async function lookupImage(ref: string | undefined, env: NodeJS.ProcessEnv): Promise<ImageLookup> {
  let engine: Engine;
  try {
    engine = await connect(selectEngine(env, processGlobals()), ref === undefined ? { env } : { image: ref, env });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      image: undefined,
      apiVersion: MAX_API_VERSION,
      note: `no engine answered (${why}); the previews assume the image runs as root`,
    };
  }
  if (ref === undefined) return { image: undefined, apiVersion: engine.apiVersion, note: undefined };
  try {
    const image = await engine.inspectImage(ref);
    const note =
      image === undefined
        ? `the engine has no image ${ref} yet (the run pulls it); the previews assume it runs as root`
        : undefined;
    return { image, apiVersion: engine.apiVersion, note };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      image: undefined,
      apiVersion: engine.apiVersion,
      note: `the image ${ref} could not be inspected (${why}); the previews assume it runs as root`,
    };
  }
}
