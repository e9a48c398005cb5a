// The runtime's allocating entry points: the functions compiled code calls that put something on the
// heap. Built from the compiler's list of runtime calls it emits (cmd/compile/internal/typecheck/
// _builtin/runtime.go, plus ssagen's newproc/deferproc) and from the runtime's `//go:linkname` bodies that
// other standard packages call without a body of their own — each entry read in $GOROOT/src/runtime and
// kept only if its body can reach mallocgc. The runtime itself is a leaf of the walk: a runtime function
// not listed here does not allocate on the heap (it may use persistent or stack memory, which
// testing.AllocsPerRun does not count either, as itabs and goroutine stacks).

/** Why a call allocates, in the words a violation uses. */
export interface AllocatingCall { why: string; /** It allocates only in some cases (growth, size, escape of the result). */ may?: true }

/** Each group: what its calls do, whether only in some cases, and the runtime functions. */
const RUNTIME_GROUPS: [AllocatingCall, string[]][] = [
  [{ why: 'allocates an object (new, &T{}, a captured or moved variable, a closure)' }, ['newobject']],
  [{ why: 'allocates an array' }, ['newarray']],
  [{ why: 'allocates memory' }, ['mallocgc']],
  [{ why: 'allocates a slice (make)' }, ['makeslice', 'makeslice64']],
  [{ why: 'allocates a slice and copies into it' }, ['makeslicecopy']],
  [{ why: 'grows a slice (append beyond its capacity)', may: true }, ['growslice', 'growsliceNoAlias', 'growsliceBuf', 'growsliceBufNoAlias']],
  [{ why: 'moves a slice to the heap', may: true }, ['moveSlice', 'moveSliceNoScan', 'moveSliceNoCap', 'moveSliceNoCapNoScan']],
  [{ why: 'allocates a map' }, ['makemap', 'makemap64', 'makemap_small']],
  [{ why: 'assigns into a map, which grows it for a new key', may: true }, ['mapassign', 'mapassign_fast32', 'mapassign_fast32ptr', 'mapassign_fast64', 'mapassign_fast64ptr', 'mapassign_faststr']],
  [{ why: 'allocates a channel' }, ['makechan', 'makechan64']],
  [{ why: 'concatenates strings', may: true }, ['concatstring2', 'concatstring3', 'concatstring4', 'concatstring5', 'concatstrings']],
  [{ why: 'concatenates into a []byte', may: true }, ['concatbyte2', 'concatbyte3', 'concatbyte4', 'concatbyte5', 'concatbytes']],
  [{ why: 'converts a rune to a string', may: true }, ['intstring']],
  [{ why: 'converts []byte to string (copies)', may: true }, ['slicebytetostring']],
  [{ why: 'converts []rune to string', may: true }, ['slicerunetostring']],
  [{ why: 'converts string to []byte (copies)', may: true }, ['stringtoslicebyte']],
  [{ why: 'converts string to []rune', may: true }, ['stringtoslicerune']],
  [{ why: 'boxes a value in an interface', may: true }, ['convT', 'convTnoptr', 'convT16', 'convT32', 'convT64']],
  [{ why: 'boxes a string in an interface', may: true }, ['convTstring']],
  [{ why: 'boxes a slice in an interface', may: true }, ['convTslice']],
  [{ why: 'starts a goroutine', may: true }, ['newproc']],
  [{ why: 'defers a call on the heap', may: true }, ['deferproc', 'deferprocat', 'deferrangefunc']],
];
const RUNTIME = new Map(RUNTIME_GROUPS.flatMap(([call, names]) => names.map((n) => [n, call] as const)));

/** Bodies the runtime provides (`//go:linkname`) for functions declared without one elsewhere. */
const LINKNAMED: Record<string, AllocatingCall> = {
  'internal/bytealg.MakeNoZero': { why: 'allocates a byte slice' },
  'reflect.unsafe_New': { why: 'allocates an object' },
  'reflect.unsafe_NewArray': { why: 'allocates an array' },
  'internal/reflectlite.unsafe_New': { why: 'allocates an object' },
  'reflect.growslice': { why: 'grows a slice', may: true },
  'reflect.makemap': { why: 'allocates a map' },
  'reflect.makechan': { why: 'allocates a channel' },
  'reflect.mapassign0': { why: 'assigns into a map', may: true },
  'reflect.mapassign_faststr0': { why: 'assigns into a map', may: true },
  'maps.clone': { why: 'copies a map' },
  'internal/syscall/unix.gostring': { why: 'copies a C string' },
  'os.runtime_args': { why: 'copies the arguments' },
  'syscall.runtime_envs': { why: 'copies the environment' },
};

/** The allocation a call to `symbol` makes, if it is one of the runtime's allocating entry points. */
export function allocatingCall(symbol: string): AllocatingCall | undefined {
  if (symbol.startsWith('runtime.')) {
    const name = symbol.slice('runtime.'.length);
    const known = RUNTIME.get(name);
    if (known) return known;
    // Size-specialised allocators (mallocgcSmallNoscanSC2, mallocTiny…) that a compiler may call directly.
    if (/^malloc/.test(name)) return { why: 'allocates memory' };
    return undefined;
  }
  return Object.hasOwn(LINKNAMED, symbol) ? LINKNAMED[symbol] : undefined;
}

/** The runtime and its internal packages are leaves: judged by the table above, never disassembled. */
export function isRuntimeLeaf(pkg: string): boolean {
  return pkg === 'runtime' || pkg.startsWith('runtime/internal/') || pkg.startsWith('internal/runtime/');
}
