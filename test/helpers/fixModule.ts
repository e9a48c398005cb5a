// A Go 1.21 module with one finding of each kind the quick fixes handle: a value boxed by fmt.Sprint, an
// errors.New in a function, a loop variable captured by closures (shared under 1.21 semantics).
import { tempModule } from './goEnv';

export const FIXABLE = `package m

import (
	"errors"
	"fmt"
)

func Label(n int) string {
	return fmt.Sprint(n)
}

func Find(k string) error {
	if k == "" {
		return errors.New("key not found")
	}
	return nil
}

var sink []func() int

func Loop() {
	for i := 0; i < 3; i++ {
		sink = append(sink, func() int { return i })
	}
}
`;

export function fixableModule(): string {
  return tempModule({ 'a.go': FIXABLE }, '1.21');
}
