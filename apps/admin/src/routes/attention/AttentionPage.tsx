import { Link } from 'wouter';
import { getAttention } from '../../api/attention.ts';
import { money, when } from '../../app/format.ts';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Loading, Page } from '../../app/ui.tsx';
import { diffWords, gapWords, refusalWords } from './attention-words.ts';

/**
 * Sales needing attention (docs/pos.md "Replay"): sales a till took offline that never arrived (gaps in its
 * numbering), sales the server refused that nobody has resolved yet, with what differs in words, and card sales
 * taken on an external terminal while offline, to check against the terminal's report.
 */
export function AttentionPage() {
  const loaded = useLoad(() => getAttention(), []);
  const data = loaded.data;
  return (
    <Page
      title="Sales needing attention"
      subtitle="Offline sales that went missing or were refused, and offline card sales to check. Each is resolved at its till."
    >
      <ErrorNotice error={loaded.error} />
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
                    </tr>
                  </thead>
                  <tbody>
                    {data.gaps.map((g) => (
                      <tr key={`${g.device_id}:${g.from_seq}`}>
                        <td>{g.register_name}</td>
                        <td>{g.device_label}</td>
                        <td>{gapWords(g.from_seq, g.to_seq)}</td>
                        <td className="nowrap">{when(g.detected_at)}</td>
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
