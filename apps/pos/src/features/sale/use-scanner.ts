import { useEffect, useRef } from 'react';
import { ScanDetector } from './scanner.ts';

/**
 * Keyboard-wedge scanning anywhere on the screen: one `keydown` listener on the window, in the capture phase so it
 * sees the Enter before any input does. A burst that `ScanDetector` takes for a scan is stopped there and handed to
 * `onScan`; any other key goes on as usual. While `paused` (a dialog is open) keys are not watched.
 */
export function useScanner(onScan: (code: string) => void, paused: boolean): void {
  // The listener is added once; it reads the latest handler and pause through refs.
  const latest = useRef({ onScan, paused });
  latest.current = { onScan, paused };
  useEffect(() => {
    const detector = new ScanDetector();
    const onKey = (e: KeyboardEvent) => {
      if (latest.current.paused) return;
      const code = detector.key(e.key, e.timeStamp);
      if (code === undefined) return;
      e.preventDefault();
      e.stopPropagation();
      performance.mark('till:scan');
      latest.current.onScan(code);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}
