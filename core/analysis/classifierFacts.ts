// The answers the classifier may ask about the sources of one analysis (is this a constant, a variable,
// a zero-size type?), memoised per analysis and read through the source cache.
import * as path from 'node:path';
import type { CompilerPos } from '../model';
import type { SourceFacts } from '../classify/classify';
import { callTarget, capturesNothing, isMapVariable, declaredTypeAt, inGoStatement, isConstant, isMethodValue, isLocalVariable, importPathOf, returnsVariable } from '../classify/sourceFacts';
import { isZeroSizeType, packageVars } from '../classify/packageDecls';
import { GoSource } from '../locate/goSource';
import type { PathResolver } from '../locate/resolvePath';
import { goFilesIn } from '../util/goFiles';

/** The answers the classifier may ask for, over the files of this analysis (memoised per analysis). */
export function factsContext(resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined, goroot?: string): SourceFacts {
  // Steps may point into other files of the package: ask the file they name.
  const at = (pos: CompilerPos): GoSource | undefined => {
    const f = resolver.resolve(pos.path);
    return f ? sourceOf(f) : undefined;
  };
  const dirFiles = new Map<string, GoSource[]>();
  // The package's files: those the directory lists, and always the file asked about (a log read on
  // another system names paths this one cannot list).
  const listDir = (dir: string): GoSource[] => {
    let list = dirFiles.get(dir);
    if (!list) {
      list = goFilesIn(dir, { tests: false }).map((f) => sourceOf(f)).filter((s): s is GoSource => !!s);
      dirFiles.set(dir, list);
    }
    return list;
  };
  const filesOf = (src: GoSource): GoSource[] => {
    const list = listDir(resolver.dirname(src.path));
    return list.includes(src) ? list : [...list, src];
  };
  /**
   * A package-level variable `name` of the package in dir. Only the files whose text may declare it are
   * parsed (in one helper run): a standard-library package that inlined code points into is otherwise
   * parsed whole, synchronously, for one name (go/types, because the compiler qualifies go/types' own
   * functions as `types.F`, and "types" is in all of its files).
   */
  const packageVarAnswers = new Map<string, boolean>();
  const isPackageVar = (src: GoSource, name: string): boolean => {
    // One answer per package (every file of a directory asks the same question), not per file.
    const dir = resolver.dirname(src.path);
    const key = `${listDir(dir).includes(src) ? dir : src.path}\0${name}`;
    let yes = packageVarAnswers.get(key);
    if (yes === undefined) {
      // A parsed file answers from its tree; another is parsed only if its text may declare the name.
      const files = filesOf(src).filter((s) => s.hasTree || s.identifiers().declarable.has(name));
      GoSource.loadAllSync(files); // usually preloaded already
      yes = files.some((s) => packageVars(s).has(name));
      packageVarAnswers.set(key, yes);
    }
    return yes;
  };
  return {
    isConstant: (pos, subject) => { const s = at(pos); return !!s && isConstant(s, subject); },
    inGoStatement: (pos) => { const s = at(pos); return !!s && inGoStatement(s, s.offsetOf(pos)); },
    callTarget: (pos) => { const s = at(pos); return s ? callTarget(s, s.offsetOf(pos)) : 'unknown'; },
    isMethodValue: (pos, subject) => { const s = at(pos); return !!s && isMethodValue(s, s.offsetOf(pos), subject, filesOf(s)); },
    isMapVariable: (pos, name) => { const s = at(pos); return !!s && isMapVariable(s, s.offsetOf(pos), name, filesOf(s)); },
    isLocal: (pos, name) => { const s = at(pos); return !!s && isLocalVariable(s, s.offsetOf(pos), name); },
    returnsVariable: (pos, name) => { const s = at(pos); return !!s && returnsVariable(s, s.offsetOf(pos), name); },
    capturesNothing: (pos) => { const s = at(pos); return s ? capturesNothing(s, s.offsetOf(pos)) : undefined; },
    declaredTypeAt: (pos, name) => { const s = at(pos); return s ? declaredTypeAt(s, s.offsetOf(pos), name) : undefined; },
    isVariable: (pos, name) => {
      const s = at(pos);
      if (!s) return false;
      return isLocalVariable(s, s.offsetOf(pos), name) || isPackageVar(s, name);
    },
    lineContains: (pos, text) => {
      const s = at(pos);
      return !!s && pos.line <= s.lines.lineCount && s.lines.lineText(pos.line - 1).includes(text);
    },
    isZeroSizeLiteral: (pos, subject) => {
      const s = at(pos);
      if (!s) return false;
      const t = subject.replace(/\{\}$/, '');
      if (/^struct ?\{ ?\}$/.test(t)) return true;
      const m = /^(?:([\p{L}_][\p{L}\p{N}_]*)\.)?([\p{L}_][\p{L}\p{N}_]*)$/u.exec(t);
      if (!m) return false;
      let files = filesOf(s);
      if (m[1]) {
        const ip = importPathOf(s, m[1]) ?? m[1];
        // Standard-library types only: another module's source may not be at hand.
        if (!goroot || ip.split('/')[0].includes('.')) return false;
        files = listDir(path.join(goroot, 'src', ip));
      }
      return isZeroSizeType(files, m[2]);
    },
  };
}
