/**
 * Keyboard-wedge scanners type a code as a burst of keystrokes ending in Enter. A burst is told apart from a
 * person typing by its pace: every key within `maxGapMs` of the previous one and at least `minLength` characters.
 */
export interface ScanDetectorOptions {
  readonly maxGapMs?: number;
  readonly minLength?: number;
}

export class ScanDetector {
  private buffer = '';
  private last = 0;
  private readonly maxGapMs: number;
  private readonly minLength: number;

  constructor(options: ScanDetectorOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 6;
  }

  /** Feeds one key; returns the scanned code when this Enter ends a burst, else undefined. */
  key(key: string, at: number): string | undefined {
    const fast = at - this.last <= this.maxGapMs;
    this.last = at;
    if (key === 'Enter') {
      const code = fast && this.buffer.length >= this.minLength ? this.buffer : undefined;
      this.buffer = '';
      return code;
    }
    if (key.length !== 1) {
      this.buffer = '';
      return undefined;
    }
    this.buffer = fast ? this.buffer + key : key;
    return undefined;
  }
}
