import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { exportCatalog, listCategories, listProducts, type Product } from '../../api/catalog.ts';
import { money } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useDebounced, useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Loading, Page, Pager, useAction, usePager } from '../../app/ui.tsx';

function priceRange(product: Product, currency: string): string {
  const prices = product.variants.filter((v) => v.archived_at === null).map((v) => v.price_cents);
  if (prices.length === 0) return '—';
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  return low === high ? money(low, currency) : `${money(low, currency)} – ${money(high, currency)}`;
}

/** Saves a blob as a file through a temporary link (the export is an authenticated call, not a plain URL). */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The catalog: search by name or SKU, filter by category, open a product; create, import and export. */
export function ProductsPage() {
  const { can, currency } = useSession();
  const [, navigate] = useLocation();
  const [q, setQ] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [archived, setArchived] = useState(false);
  const search = useDebounced(q.trim());
  const pager = usePager(`${search}|${categoryId}|${archived}`);
  const categories = useLoad(() => listCategories(), []);
  const products = useLoad(
    () =>
      listProducts({
        q: search === '' ? undefined : search,
        category_id: categoryId === '' ? undefined : categoryId,
        include_archived: archived,
        limit: 50,
        cursor: pager.cursor,
      }),
    [search, categoryId, archived, pager.cursor],
  );
  const exporting = useAction();
  const categoryName = new Map(categories.data?.data.map((c) => [c.id, c.name]));

  return (
    <Page
      title="Products"
      subtitle="What the shop sells: each product has one or more variants with their own SKU, price and barcodes."
      actions={
        <>
          <button
            type="button"
            className="btn"
            disabled={exporting.busy}
            onClick={() => void exporting.run(async () => download(await exportCatalog(), 'catalog.csv'))}
          >
            {exporting.busy ? 'Exporting…' : 'Export CSV'}
          </button>
          {can('catalog.write') && (
            <>
              <Link href="/products/import" className="btn">
                Import CSV
              </Link>
              <Link href="/products/new" className="btn primary">
                New product
              </Link>
            </>
          )}
        </>
      }
    >
      <ErrorNotice error={exporting.error} title="The catalog could not be exported." />
      <div className="card">
        <div className="filters">
          <label className="field" style={{ flex: '1 1 260px' }}>
            <span>Search</span>
            <input
              type="search"
              placeholder="Name or start of a SKU"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              maxLength={100}
            />
          </label>
          <label className="field">
            <span>Category</span>
            <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value="">All categories</option>
              {categories.data?.data.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="check" style={{ paddingBottom: 8 }}>
            <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived
          </label>
        </div>
        <ErrorNotice error={products.error} />
        {products.data === undefined ? (
          products.error === undefined && <Loading />
        ) : products.data.data.length === 0 ? (
          <Empty>No product matches.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Product</th>
                  <th>Category</th>
                  <th>SKUs</th>
                  <th className="num">Price</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {products.data.data.map((p) => (
                  <tr
                    key={p.id}
                    className={`clickable${p.archived_at === null ? '' : ' archived'}`}
                    onClick={() => navigate(`/products/${p.id}`)}
                  >
                    <td>
                      <Link href={`/products/${p.id}`}>{p.name}</Link>
                      {p.variants.length > 1 && <div className="muted">{p.variants.length} variants</div>}
                    </td>
                    <td>{p.category_id === null ? '—' : (categoryName.get(p.category_id) ?? '…')}</td>
                    <td className="mono">
                      {p.variants
                        .slice(0, 3)
                        .map((v) => v.sku)
                        .join(', ')}
                      {p.variants.length > 3 && ' …'}
                    </td>
                    <td className="num">{priceRange(p, currency)}</td>
                    <td className="right">{p.archived_at !== null && <Badge>Archived</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={pager.page}
          nextCursor={products.data?.next_cursor}
          onNext={pager.next}
          onPrevious={pager.previous}
        />
      </div>
    </Page>
  );
}
