/**
 * .dockerignore semantics (pure), as the Docker engine applies them: patterns relative to the
 * context root with `*`, `?`, `[...]` and `**`; a pattern that matches a folder matches everything
 * in it; `!pattern` re-includes; the last matching pattern wins.
 */

export interface IgnorePattern {
  readonly negated: boolean;
  readonly source: string;
  readonly regex: RegExp;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    line = cleanPath(line);
    if (!line) continue;
    out.push({ negated, source: line, regex: globToRegex(line) });
  }
  return out;
}

function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/^\/+/, '').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

export function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('!') || cls.startsWith('^')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`;
    else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when the path (relative, '/'-separated) is excluded from the build context. */
export function isIgnored(path: string, patterns: readonly IgnorePattern[]): boolean {
  const parents: string[] = [];
  const segs = path.split('/');
  for (let i = 1; i <= segs.length; i++) parents.push(segs.slice(0, i).join('/'));
  let ignored = false;
  for (const p of patterns) {
    if (parents.some((candidate) => p.regex.test(candidate))) ignored = !p.negated;
  }
  return ignored;
}

/** A folder can be skipped without reading it when it is ignored and no `!` pattern can match a path inside it. */
export function canPrune(dir: string, patterns: readonly IgnorePattern[]): boolean {
  if (!isIgnored(dir, patterns)) return false;
  const dirSegs = dir.split('/');
  return !patterns.some((p) => {
    if (!p.negated) return false;
    if (p.source.includes('**')) return true;
    const segs = p.source.split('/');
    if (segs.length <= dirSegs.length) return false;
    return dirSegs.every((d, i) => globToRegex(segs[i]!).test(d));
  });
}
