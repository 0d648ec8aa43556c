import { useCallback, useState } from 'react';

/**
 * Which record a create/edit drawer shows. Every opening gets a new `key`, so the drawer's form starts
 * fresh (no values left over from the previous record); closing keeps the key so the drawer animates out.
 */
export function useDrawerState<T>() {
  const [state, setState] = useState<{ open: boolean; item: T | null; key: number }>({ open: false, item: null, key: 0 });
  const show = useCallback((item: T | null) => setState((s) => ({ open: true, item, key: s.key + 1 })), []);
  const close = useCallback(() => setState((s) => ({ ...s, open: false })), []);
  return { ...state, show, close };
}
