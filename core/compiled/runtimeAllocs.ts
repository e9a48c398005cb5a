// The runtime's allocating entry points: the functions compiled code calls that put something on the
// heap. Built from the compiler's list of runtime calls it emits (cmd/compile/internal/typecheck/
// _builtin/runtime.go, plus ssagen's newproc/deferproc) and from the runtime's `//go:linkname` bodies that
// other standard packages call without a body of their own — each entry read in $GOROOT/src/runtime and
// kept only if its body can reach mallocgc. The runtime itself is a leaf of the walk: a runtime function
// not listed here does not allocate on the heap (it may use persistent or stack memory, which
// testing.AllocsPerRun does not count either, as itabs and goroutine stacks).

/** Why a call allocates, in the words a violation uses. */
export interface AllocatingCall { why: string; /** It allocates only in some cases (growth, size, escape of the result). */ may?: true }

const RUNTIME: Record<string, AllocatingCall> = {
  newobject: { why: 'allocates an object (new, &T{}, a captured or moved variable, a closure)' },
  newarray: { why: 'allocates an array' },
  mallocgc: { why: 'allocates memory' },
  makeslice: { why: 'allocates a slice (make)' },
  makeslice64: { why: 'allocates a slice (make)' },
  makeslicecopy: { why: 'allocates a slice and copies into it' },
  growslice: { why: 'grows a slice (append beyond its capacity)', may: true },
  growsliceNoAlias: { why: 'grows a slice (append beyond its capacity)', may: true },
  growsliceBuf: { why: 'grows a slice (append beyond its capacity)', may: true },
  growsliceBufNoAlias: { why: 'grows a slice (append beyond its capacity)', may: true },
  moveSlice: { why: 'moves a slice to the heap', may: true },
  moveSliceNoScan: { why: 'moves a slice to the heap', may: true },
  moveSliceNoCap: { why: 'moves a slice to the heap', may: true },
  moveSliceNoCapNoScan: { why: 'moves a slice to the heap', may: true },
  makemap: { why: 'allocates a map' },
  makemap64: { why: 'allocates a map' },
  makemap_small: { why: 'allocates a map' },
  mapassign: { why: 'assigns into a map, which grows it for a new key', may: true },
  mapassign_fast32: { why: 'assigns into a map, which grows it for a new key', may: true },
  mapassign_fast32ptr: { why: 'assigns into a map, which grows it for a new key', may: true },
  mapassign_fast64: { why: 'assigns into a map, which grows it for a new key', may: true },
  mapassign_fast64ptr: { why: 'assigns into a map, which grows it for a new key', may: true },
  mapassign_faststr: { why: 'assigns into a map, which grows it for a new key', may: true },
  makechan: { why: 'allocates a channel' },
  makechan64: { why: 'allocates a channel' },
  concatstring2: { why: 'concatenates strings', may: true },
  concatstring3: { why: 'concatenates strings', may: true },
  concatstring4: { why: 'concatenates strings', may: true },
  concatstring5: { why: 'concatenates strings', may: true },
  concatstrings: { why: 'concatenates strings', may: true },
  concatbyte2: { why: 'concatenates into a []byte', may: true },
  concatbyte3: { why: 'concatenates into a []byte', may: true },
  concatbyte4: { why: 'concatenates into a []byte', may: true },
  concatbyte5: { why: 'concatenates into a []byte', may: true },
  concatbytes: { why: 'concatenates into a []byte', may: true },
  intstring: { why: 'converts a rune to a string', may: true },
  slicebytetostring: { why: 'converts []byte to string (copies)', may: true },
  slicerunetostring: { why: 'converts []rune to string', may: true },
  stringtoslicebyte: { why: 'converts string to []byte (copies)', may: true },
  stringtoslicerune: { why: 'converts string to []rune', may: true },
  convT: { why: 'boxes a value in an interface', may: true },
  convTnoptr: { why: 'boxes a value in an interface', may: true },
  convT16: { why: 'boxes a value in an interface', may: true },
  convT32: { why: 'boxes a value in an interface', may: true },
  convT64: { why: 'boxes a value in an interface', may: true },
  convTstring: { why: 'boxes a string in an interface', may: true },
  convTslice: { why: 'boxes a slice in an interface', may: true },
  newproc: { why: 'starts a goroutine', may: true },
  deferproc: { why: 'defers a call on the heap', may: true },
  deferprocat: { why: 'defers a call on the heap', may: true },
  deferrangefunc: { why: 'defers a call on the heap', may: true },
};

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
    if (Object.hasOwn(RUNTIME, name)) return RUNTIME[name];
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
