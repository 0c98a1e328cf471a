import { useState, type SyntheticEvent } from 'react';
import { Link } from 'wouter';
import { getAttention, markCardChecked, writeOffGap, type Attention } from '../../api/attention.ts';
import { money, when } from '../../app/format.ts';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Dialog, Empty, ErrorNotice, Field, Loading, Notice, Page, useAction } from '../../app/ui.tsx';
import { diffWords, gapWords, refusalWords } from './attention-words.ts';

type Gap = Attention['gaps'][number];

/** A manager writes off a gap whose sales are lost, with the reason (audited). */
function WriteOffDialog(props: { gap: Gap; onClose: () => void; onDone: (text: string) => void }) {
  const { gap } = props;
  const [reason, setReason] = useState('');
  const action = useAction();
  const what = gapWords(gap.from_seq, gap.to_seq);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => {
        await writeOffGap({
          device_id: gap.device_id,
          from_seq: gap.from_seq,
          to_seq: gap.to_seq,
          reason: reason.trim(),
        });
      })
      .then((done) => done && props.onDone(`${what} of ${gap.device_label} written off.`));
  };
  return (
    <Dialog
      title={`Write off ${what.toLowerCase()}`}
      onClose={props.onClose}
      footer={
        <button
          type="submit"
          form="write-off-form"
          className="btn danger"
          disabled={action.busy || reason.trim() === ''}
        >
          {action.busy ? 'Writing off…' : 'Write off'}
        </button>
      }
    >
      <form id="write-off-form" className="stack" onSubmit={submit}>
        <ErrorNotice error={action.error} />
        <p>
          Only when the till can no longer send it (it was reset or lost its storage). Count the drawer first. If the
          sale arrives later it is still accepted.
        </p>
        <Field label="Reason">
          <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} autoFocus />
        </Field>
      </form>
    </Dialog>
  );
}

/**
 * Sales needing attention (docs/pos.md "Replay"): sales a till took offline that never arrived (gaps in its
 * numbering), sales the server refused that nobody has resolved yet, with what differs in words, and card sales
 * taken on an external terminal while offline, to check against the terminal's report.
 */
export function AttentionPage() {
  const [reload, setReload] = useState(0);
  const loaded = useLoad(() => getAttention(), [reload]);
  const data = loaded.data;
  const [writingOff, setWritingOff] = useState<Gap | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const checking = useAction();
  const refresh = (text: string) => {
    setDone(text);
    setReload((n) => n + 1);
  };
  return (
    <Page
      title="Sales needing attention"
      subtitle="Offline sales that went missing or were refused, and offline card sales to check. Each is resolved at its till."
    >
      <ErrorNotice error={loaded.error} />
      <ErrorNotice error={checking.error} />
      {done !== undefined && <Notice kind="ok">{done}</Notice>}
      {writingOff !== undefined && (
        <WriteOffDialog
          gap={writingOff}
          onClose={() => setWritingOff(undefined)}
          onDone={(text) => {
            setWritingOff(undefined);
            refresh(text);
          }}
        />
      )}
      {data === undefined ? (
        loaded.error === undefined && <Loading />
      ) : (
        <div className="stack">
          <section className="card" aria-labelledby="gaps-title">
            <h2 id="gaps-title">Missing sales</h2>
            <p className="muted">
              Each till numbers the sales it takes offline. A number that never reached the server is a sale whose money
              may be in the drawer without an order.
            </p>
            {data.gaps.length === 0 ? (
              <Empty>No sale is missing.</Empty>
            ) : (
              <div className="table-wrap">
                <table data-testid="attention-gaps">
                  <thead>
                    <tr>
                      <th>Register</th>
                      <th>Till</th>
                      <th>Missing</th>
                      <th>Noticed</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {data.gaps.map((g) => (
                      <tr key={`${g.device_id}:${g.from_seq}`}>
                        <td>{g.register_name}</td>
                        <td>{g.device_label}</td>
                        <td>{gapWords(g.from_seq, g.to_seq)}</td>
                        <td className="nowrap">{when(g.detected_at)}</td>
                        <td>
                          <button type="button" className="btn small" onClick={() => setWritingOff(g)}>
                            Write off…
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="card" aria-labelledby="refused-title">
            <h2 id="refused-title">Refused sales</h2>
            <p className="muted">
              The server refused these when the till sent them. The cashier resolves each at the till: accept today's
              prices, keep the till's (a manager), sell beyond stock (a manager), or cancel with a refund.
            </p>
            {data.refused.length === 0 ? (
              <Empty>No refused sale is waiting.</Empty>
            ) : (
              <div className="table-wrap">
                <table data-testid="attention-refused">
                  <thead>
                    <tr>
                      <th>Taken</th>
                      <th>Register</th>
                      <th className="num">Till total</th>
                      <th>Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.refused.map((r) => (
                      <tr key={r.order_id}>
                        <td className="nowrap">
                          {when(r.created_offline_at)}
                          <div className="muted">
                            sale {r.seq} · refused {when(r.refused_at)}
                          </div>
                        </td>
                        <td>
                          {r.register_name}
                          <div className="muted">{r.device_label}</div>
                        </td>
                        <td className="num">{r.total_cents === null ? '—' : money(r.total_cents, data.currency)}</td>
                        <td>
                          <Badge kind="warn">{refusalWords(r.code)}</Badge>
                          <ul className="plain">
                            {diffWords(r, data.currency).map((words) => (
                              <li key={words}>{words}</li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="card" aria-labelledby="review-title">
            <h2 id="review-title">Offline card sales to review</h2>
            <p className="muted">
              Cards taken on an external terminal while the till was offline: check each against the terminal's report.
            </p>
            {data.review.length === 0 ? (
              <Empty>No offline card sale to review.</Empty>
            ) : (
              <div className="table-wrap">
                <table data-testid="attention-review">
                  <thead>
                    <tr>
                      <th>No.</th>
                      <th>Taken</th>
                      <th>Register</th>
                      <th className="num">Card</th>
                      <th className="num">Total</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {data.review.map((r) => (
                      <tr key={r.order_id}>
                        <td>
                          <Link href={`/orders/${r.order_id}`}>{r.number === null ? 'open' : `#${r.number}`}</Link>
                        </td>
                        <td className="nowrap">{when(r.created_offline_at ?? r.created_at)}</td>
                        <td>{r.register_name}</td>
                        <td className="num">{money(r.card_cents, data.currency)}</td>
                        <td className="num">{money(r.total_cents, data.currency)}</td>
                        <td>
                          <button
                            type="button"
                            className="btn small"
                            disabled={checking.busy}
                            onClick={() =>
                              void checking
                                .run(async () => {
                                  await markCardChecked(r.order_id);
                                })
                                .then((ok) => ok && refresh('The card sale is marked as checked.'))
                            }
                          >
                            Checked
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </Page>
  );
}
