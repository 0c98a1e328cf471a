import { useEffect, useRef } from 'react';

/** The function keys the sale screen uses. */
export type FunctionKey = 'F2' | 'F3' | 'F4' | 'F6' | 'F7' | 'F8' | 'F9';

/**
 * Function keys that work from anywhere on the screen (one `keydown` listener on the window): a key with an action
 * runs it and the browser's own use of it (F3 find, F7 caret browsing…) is prevented. While `paused` (a dialog is
 * open) the keys do nothing.
 */
export function useFunctionKeys(actions: Partial<Record<FunctionKey, () => void>>, paused: boolean): void {
  // The listener is added once; it reads the latest actions and pause through refs.
  const latest = useRef({ actions, paused });
  latest.current = { actions, paused };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (latest.current.paused) return;
      const run = isFunctionKey(e.key) ? latest.current.actions[e.key] : undefined;
      if (run !== undefined) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

const KEYS: ReadonlySet<string> = new Set<FunctionKey>(['F2', 'F3', 'F4', 'F6', 'F7', 'F8', 'F9']);

function isFunctionKey(key: string): key is FunctionKey {
  return KEYS.has(key);
}
