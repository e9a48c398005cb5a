// The one error every cancelled piece of work ends in: a newer save, a closed document, Ctrl-C.
export class CancelledError extends Error {
  constructor() { super('analysis cancelled'); }
}
