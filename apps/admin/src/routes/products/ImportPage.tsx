import { useState, type SyntheticEvent } from 'react';
import { Link } from 'wouter';
import { importCatalog, reportOf, type ImportProgress, type ImportReport } from '../../api/catalog-import.ts';
import { ErrorNotice, Field, Notice, Page, useAction } from '../../app/ui.tsx';

const COUNT_NAMES: [keyof ImportReport['counts'], string][] = [
  ['rows', 'Rows'],
  ['created', 'Variants to create'],
  ['updated', 'Variants to update'],
  ['unchanged', 'Unchanged'],
  ['products_created', 'New products'],
  ['categories_created', 'New categories'],
  ['errors', 'Rows with errors'],
];

function kb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Progress(props: { progress: ImportProgress }) {
  const { phase, loaded, total } = props.progress;
  return (
    <div className="card" aria-live="polite">
      {phase === 'upload' ? (
        <>
          <div className="row">
            <span>Sending the file…</span>
            <span className="spacer" />
            <span className="muted">
              {kb(loaded)} of {kb(total)}
            </span>
          </div>
          <progress value={loaded} max={total} aria-label="Upload progress" />
        </>
      ) : (
        <>
          <div>The server is checking every row and writing the catalog…</div>
          {/* The server answers once, at the end: an indeterminate bar says it is working. */}
          <progress aria-label="Import progress" />
        </>
      )}
    </div>
  );
}

function Report(props: { report: ImportReport }) {
  const { report } = props;
  const verb = report.dry_run ? 'would be' : report.written ? 'were' : 'would have been';
  return (
    <div className="card stack" data-testid="import-report">
      {report.dry_run ? (
        <Notice kind={report.counts.errors > 0 ? 'error' : 'info'}>
          Dry run: nothing was written.{' '}
          {report.counts.errors > 0
            ? `${report.counts.errors} row(s) have errors: fix them before importing.`
            : 'The file is ready to import.'}
        </Notice>
      ) : report.written ? (
        <Notice kind="ok">
          Imported.
          {report.counts.errors > 0 && ` ${report.counts.errors} row(s) with errors were skipped.`}
        </Notice>
      ) : (
        <Notice kind="error">
          Nothing was written: {report.counts.errors} row(s) have errors. Fix them, or import the good rows only.
        </Notice>
      )}
      <div className="grid kpis">
        {COUNT_NAMES.map(([key, label]) => (
          <div key={key} className="kpi">
            <div className="label">{label}</div>
            <div className="value" style={{ fontSize: 20 }}>
              {report.counts[key]}
            </div>
          </div>
        ))}
      </div>
      <p className="muted" style={{ margin: 0 }}>
        Counts say what {verb} done.
      </p>
      {report.errors.length > 0 && (
        <div className="table-wrap">
          <h3 style={{ marginBottom: 6 }}>Errors by row</h3>
          <table>
            <thead>
              <tr>
                <th className="num">Row</th>
                <th>Column</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={`${e.row}:${e.field}:${i}`}>
                  <td className="num">{e.row}</td>
                  <td className="mono">{e.field}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.errors_truncated && <p className="muted">Only the first errors are listed.</p>}
        </div>
      )}
    </div>
  );
}

/**
 * CSV import: pick a file, run a dry run (validated against the catalog, nothing written), read the per-row
 * report, then import — all or nothing, or the good rows only.
 */
export function ImportPage() {
  const [file, setFile] = useState<File | undefined>(undefined);
  const [allowPartial, setAllowPartial] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | undefined>(undefined);
  const [report, setReport] = useState<ImportReport | undefined>(undefined);
  const action = useAction();

  const run = (dryRun: boolean) => {
    if (file === undefined) return;
    setReport(undefined);
    void action
      .run(async () => {
        try {
          setReport(await importCatalog(file, { dryRun, allowPartial, onProgress: setProgress }));
        } catch (err) {
          // A refused import (row errors) carries its report: show it as a report, not as a bare error.
          const refused = reportOf(err);
          if (refused === undefined) throw err;
          setReport(refused);
        }
      })
      .finally(() => setProgress(undefined));
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    run(true);
  };

  return (
    <Page title="Import products" subtitle={<Link href="/products">← All products</Link>}>
      <div className="stack">
        <form className="card stack" onSubmit={submit} aria-label="Import a CSV file">
          <p style={{ margin: 0 }}>
            One row per variant with the columns <code>product_name</code>, <code>sku</code>, <code>price_cents</code>{' '}
            and optionally <code>category</code>, <code>variant_name</code>, <code>tax_code</code>,{' '}
            <code>barcodes</code> (separated by <code>|</code>). An existing SKU updates its variant. The file the
            export gives is a good start.
          </p>
          <Field label="CSV file" hint="Up to 20 MB; larger catalogs go through the novapos catalog import command">
            <input
              type="file"
              accept=".csv,text/csv"
              name="file"
              onChange={(e) => {
                setFile(e.target.files?.[0]);
                setReport(undefined);
                action.clear();
              }}
            />
          </Field>
          <label className="check">
            <input type="checkbox" checked={allowPartial} onChange={(e) => setAllowPartial(e.target.checked)} />
            Import the good rows even if some rows have errors
          </label>
          <div className="row">
            <button type="submit" className="btn" disabled={file === undefined || action.busy}>
              Check file (dry run)
            </button>
            <button
              type="button"
              className="btn primary"
              disabled={file === undefined || action.busy}
              onClick={() => run(false)}
            >
              Import
            </button>
          </div>
        </form>
        {progress !== undefined && <Progress progress={progress} />}
        <ErrorNotice error={action.error} title="The file could not be imported." />
        {report !== undefined && <Report report={report} />}
      </div>
    </Page>
  );
}
