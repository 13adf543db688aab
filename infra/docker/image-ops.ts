/** Building an image from the workspace's Dockerfile, labelled with the hash of its inputs. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WsError } from '../../cli/errors.js';
import type { ApplyReporter } from '../driver.js';
import * as cmd from './commands.js';
import { buildArgsLabel, contextHash } from './context-hash.js';
import { LABEL, ownerLabels, type Owner } from './labels.js';
import type { ImageSpec } from './resources.js';
import { DockerCommandError, type DockerRunner } from './runner.js';

const TAIL_LINES = 25;
/** The legacy builder's deprecation notice: noise in a failure report. */
const NOISE = /legacy builder is deprecated|Install the buildx component|docs\.docker\.com\/go\/buildx/;

/** Builds the image and returns its id. A failed build throws with the build's last lines. */
export async function buildImage(runner: DockerRunner, owner: Owner, spec: ImageSpec, opts: { pull: boolean; reporter: ApplyReporter }): Promise<string> {
  const hash = await contextHash(spec);
  const labels = { ...ownerLabels(owner), [LABEL.contextHash]: hash, [LABEL.buildArgs]: buildArgsLabel(spec.buildArgs) };
  const dir = await mkdtemp(join(tmpdir(), 'ws-build-'));
  const iidFile = join(dir, 'iid');
  const tail: string[] = [];
  opts.reporter.progress(`building image ${spec.tag} from ${spec.dockerfile}`);
  try {
    await runner.run(cmd.imageBuild(spec, { labels, iidFile, pull: opts.pull }), {
      onLine: (line) => {
        if (NOISE.test(line)) return;
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        if (/^Step \d+\/\d+ :|^#\d+ \[/.test(line)) opts.reporter.progress(`${spec.tag}: ${line.length > 110 ? `${line.slice(0, 110)}…` : line}`);
      },
    });
    const id = (await readFile(iidFile, 'utf8')).trim();
    // rebuilds leave the previous image untagged: remove this resource's untagged images that no container uses
    await runner.run(cmd.imagePrune(ownerLabels(owner)), { allowFailure: true });
    return id;
  } catch (error) {
    if (error instanceof DockerCommandError) {
      throw new WsError(`docker build failed (exit ${error.dockerExitCode}); the build's last lines:\n${tail.map((l) => `  | ${l}`).join('\n')}`, { cause: error });
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
