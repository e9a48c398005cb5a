// What the classifier may ask the source. Every answer is optional in effect: without source, the
// compiler's words decide. Two implementations: the syntax (sourceFacts.ts over analyze's files) and the
// types (typedSourceFacts.ts, falling back to the syntax question by question).
import type { CompilerPos } from '../model';

export interface SourceFacts {
  isConstant(pos: CompilerPos, subject: string): boolean;
  inGoStatement(pos: CompilerPos): boolean;
  callTarget(pos: CompilerPos): 'static' | 'dynamic' | 'reflect' | 'unknown';
  isMethodValue(pos: CompilerPos, subject: string): boolean;
  /** The declared type of a variable at `pos`, when the source writes it down (`b bool`, `var x uint8`). */
  declaredTypeAt(pos: CompilerPos, name: string): string | undefined;
  /** Is `name` a variable (parameter, local, or package-level var of the package) where `pos` is? */
  isVariable?(pos: CompilerPos, name: string): boolean;
  /** Is `name` a parameter or local variable of the function around `pos` (not a package variable)? */
  isLocal?(pos: CompilerPos, name: string): boolean;
  /** Is `name`, where `pos` is, a map variable (a local or a package variable whose declaration says so)? */
  isMapVariable?(pos: CompilerPos, name: string): boolean;
  /** Does the function around `pos` return the variable `name` (`return name`, `return x, name`)? */
  returnsVariable?(pos: CompilerPos, name: string): boolean;
  /** Does the user's source line at `pos` contain `text`? (Inlined code names no user text.) */
  lineContains?(pos: CompilerPos, text: string): boolean;
  /** Is the composite literal type printed in `subject` (`T{}`, `pkg.T{}`) a zero-size type? */
  isZeroSizeLiteral?(pos: CompilerPos, subject: string): boolean;
  /** Is the value at `pos` one byte (bool, byte, int8, or a type defined from one)? undefined: not known. */
  isSingleByte?(pos: CompilerPos, subject: string): boolean | undefined;
  /** Does the func literal at `pos` capture no variable (a static closure)? undefined: not known. */
  capturesNothing?(pos: CompilerPos): boolean | undefined;
  /** The variables the func literal at `pos` captures. */
  freeVariables?(pos: CompilerPos): readonly string[] | undefined;
}
