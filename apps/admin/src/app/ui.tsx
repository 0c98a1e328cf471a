import { ApiError } from '@novapos/api-client';
import { Component, useCallback, useEffect, useRef, useState, type ErrorInfo, type ReactNode } from 'react';

/** A page: its title, a line of context, its actions, its content. */
export function Page(props: { title: string; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>{props.title}</h1>
          {props.subtitle !== undefined && <p>{props.subtitle}</p>}
        </div>
        {props.actions !== undefined && <div className="row">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function Notice(props: { kind: 'error' | 'ok' | 'info'; children: ReactNode }) {
  return (
    <div className={`notice ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/**
 * An error as people read it: the API's human sentence first, then what support needs (the code and the request
 * id), and the fields the server named. Anything that is not an ApiError (a bug in the page) still gets a sentence.
 */
export function ErrorNotice(props: { error: unknown; title?: string }) {
  const { error } = props;
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError) {
    return (
      <Notice kind="error">
        <strong>{props.title ?? error.message}</strong>
        {props.title !== undefined && <div>{error.message}</div>}
        {error.detail !== undefined && error.detail !== error.message && <div>{error.detail}</div>}
        {error.errors.length > 0 && (
          <ul>
            {error.errors.slice(0, 8).map((e) => (
              <li key={`${e.field}:${e.message}`}>
                <code>{e.field}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
        <div className="meta" data-testid="error-code">
          Code <code>{error.code}</code>
          {error.request_id !== undefined && (
            <>
              {' '}
              · request <code>{error.request_id}</code>
            </>
          )}
        </div>
      </Notice>
    );
  }
  return (
    <Notice kind="error">
      <strong>{props.title ?? 'Something went wrong in the back office.'}</strong>
      <div className="meta">{error instanceof Error ? error.message : JSON.stringify(error)}</div>
    </Notice>
  );
}

/** The message the server gave for one field or its items, if any (`variants[0].price_cents`, `barcodes[1]`). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.field === field || e.field.startsWith(`${field}[`))?.message;
}

export function Field(props: { label: string; hint?: ReactNode; error?: string | undefined; children: ReactNode }) {
  // The hint and the error sit outside the <label>, so the control's accessible name is the label alone.
  return (
    <div className="field">
      <label className="field">
        <span>{props.label}</span>
        {props.children}
      </label>
      {props.error !== undefined && (
        <small className="field-error" role="alert">
          {props.error}
        </small>
      )}
      {props.hint !== undefined && props.error === undefined && <small className="hint">{props.hint}</small>}
    </div>
  );
}

export function Badge(props: { kind?: 'ok' | 'danger' | 'warn' | 'brand'; children: ReactNode }) {
  return <span className={`badge ${props.kind ?? ''}`}>{props.children}</span>;
}

export function Loading() {
  return <div className="empty">Loading…</div>;
}

export function Empty(props: { children: ReactNode }) {
  return <div className="empty">{props.children}</div>;
}

/** A modal dialog (the browser's own <dialog>: focus is trapped and Escape closes it). */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    // Focus goes back to what opened the dialog (the row's Edit button) when it goes away, as a keyboard expects.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={props.title}
      style={props.wide === true ? { width: 'min(900px, calc(100vw - 32px))' } : undefined}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div className="dialog-head">
        <h2>{props.title}</h2>
        <button type="button" className="btn small" onClick={props.onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <div className="dialog-body">{props.children}</div>
      {props.footer !== undefined && <div className="dialog-foot">{props.footer}</div>}
    </dialog>
  );
}

/** An action a button starts: busy while it runs, its error kept for display, never thrown into React. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}

/** Cursor pages: remembers the cursors of the pages before, so "Previous" works on a forward-only API. */
export function usePager(resetKey: string) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => setCursors([undefined]), [resetKey]);
  const cursor = cursors.at(-1);
  return {
    cursor,
    page: cursors.length,
    next: (nextCursor: string) => setCursors((c) => [...c, nextCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

export function Pager(props: {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
  const { nextCursor } = props;
  if (props.page === 1 && (nextCursor === null || nextCursor === undefined)) return null;
  return (
    <div className="row" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
      <span className="muted">Page {props.page}</span>
      <button type="button" className="btn small" disabled={props.page === 1} onClick={props.onPrevious}>
        Previous
      </button>
      <button
        type="button"
        className="btn small"
        disabled={nextCursor === null || nextCursor === undefined}
        onClick={() => nextCursor && props.onNext(nextCursor)}
      >
        Next
      </button>
    </div>
  );
}

/** Catches a page that throws while rendering: the error is shown in place, the rest of the app keeps working. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error !== undefined) this.setState({ error: undefined });
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // Shown on screen; nothing to send anywhere from the browser yet.
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    return (
      <section className="page">
        <ErrorNotice error={this.state.error} title="This page could not be shown." />
        <button type="button" className="btn" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </section>
    );
  }
}
