import { hasAnyRole, largestDiscountBp, rolesAtLeast, type Role } from '@novapos/domain';
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { TillContext, TillItem } from '../../api/types.ts';
import { catalog } from '../../data/catalog.ts';
import type { ParkedCart } from '../../data/db.ts';
import { parkCart, parkedCarts, resumeCart } from '../../data/parked.ts';
import {
  addItem,
  cartTotals,
  largestDiscount,
  needsApproval,
  newCart,
  repriceCart,
  setLineDiscount,
  setQuantity,
  type Cart,
} from './cart.ts';
import { DiscountDialog, NoteDialog } from './Dialogs.tsx';
import { money, percent } from './money.ts';
import { deleteParkedSale } from './parked-sales.ts';
import { ParkedSalesDialog } from './ParkedSalesDialog.tsx';
import { hasTakenMoney } from './sale-identity.ts';
import { useFunctionKeys } from './use-function-keys.ts';
import { useScanner } from './use-scanner.ts';

/** The dialog open over the sale: a line's discount names the line. */
type Modal = 'discount' | { lineDiscount: number } | 'note' | 'resume' | undefined;

/** The selling screen: grid by category, search as you type, wedge scanning anywhere, and the cart. */
export function SaleScreen(props: {
  ctx: TillContext;
  cart: Cart;
  setCart: (update: Cart | ((current: Cart) => Cart)) => void;
  /** The signed-in cashier's roles: a manager (or above) gives any discount without an approval. */
  roles: readonly Role[];
  catalogVersion: number;
  onPay: () => void;
  /** Who is signed in: a parked sale carries their name. */
  cashierName: string;
  /** What the screen says first (after a cancelled sale: what to give back). */
  initialNotice?: string | undefined;
}) {
  const { ctx, cart, setCart } = props;
  const isManager = hasAnyRole(props.roles, rolesAtLeast('manager'));
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'bad' } | undefined>(
    props.initialNotice === undefined ? undefined : { text: props.initialNotice, kind: 'ok' },
  );
  const [modal, setModal] = useState<Modal>();
  const [parked, setParked] = useState<ParkedCart[]>([]);
  const search = useRef<HTMLInputElement>(null);
  const cartRef = useRef(cart);
  cartRef.current = cart;
  const totals = useMemo(() => cartTotals(cart, ctx), [cart, ctx]);
  const categories = useMemo(() => catalog.categoryList(), [props.catalogVersion]);
  const shown = useMemo(
    () => (query.trim() === '' ? catalog.inCategory(category) : catalog.search(query)),
    [query, category, props.catalogVersion],
  );

  const add = useCallback(
    (item: TillItem, how: string) => {
      setCart((current) => addItem(current, item));
      setNotice({ text: `${how}: ${item.name}`, kind: 'ok' });
    },
    [setCart],
  );
  const pick = useCallback(
    (item: TillItem) => {
      add(item, 'Added');
      search.current?.focus();
    },
    [add],
  );

  // A scan adds its item from anywhere on the screen; F-keys act from anywhere too. Neither while a dialog is open.
  useScanner((code) => {
    // The burst also went into whichever input had focus: take it back out of the search box.
    setQuery((q) => (q.endsWith(code) ? q.slice(0, -code.length) : q));
    const item = catalog.lookup(code);
    if (item === undefined) setNotice({ text: `Unknown barcode ${code}: nothing was added.`, kind: 'bad' });
    else add(item, 'Scanned');
  }, modal !== undefined);
  useFunctionKeys(
    {
      F2: () => search.current?.focus(),
      // A discount on the line just scanned or picked (the last one), as + and − change its quantity.
      F3: () => {
        if (cartRef.current.lines.length > 0) setModal({ lineDiscount: cartRef.current.lines.length - 1 });
      },
      F4: () => setModal('discount'),
      F6: () => void park(),
      F7: () => void openResume(),
      F8: () => pay(),
      F9: () => setModal('note'),
    },
    modal !== undefined,
  );

  function pay() {
    if (cartRef.current.lines.length === 0) {
      setNotice({ text: 'The cart is empty: scan or pick a product first.', kind: 'bad' });
      return;
    }
    if (needsApproval(cartRef.current, ctx, props.roles)) {
      setModal('discount');
      return;
    }
    props.onPay();
  }

  async function park() {
    if (cartRef.current.lines.length === 0) return;
    await parkCart(cartRef.current, { label: 'Parked', cashier: props.cashierName });
    setCart(newCart());
    setNotice({ text: 'Sale parked. Resume it with F7.', kind: 'ok' });
  }

  async function openResume() {
    setParked(await parkedCarts());
    setModal('resume');
  }

  function onSearchKey(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setHighlight((h) => Math.min(h + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight((h) => Math.max(h - 1, 0));
    } else if (e.key === 'Enter' && query.trim() !== '') {
      e.preventDefault();
      // The box's own value, not the last render's: a code typed fast may not have reached the state yet.
      const typed = e.currentTarget.value.trim();
      const exact = catalog.lookup(typed);
      const item = exact ?? (typed === query.trim() ? shown[highlight] : catalog.search(typed)[0]);
      if (item === undefined) setNotice({ text: `Nothing matches “${typed}”.`, kind: 'bad' });
      else {
        add(item, 'Added');
        setQuery('');
      }
    } else if (e.key === 'Enter' && query.trim() === '' && cart.lines.length > 0) {
      e.preventDefault();
      pay();
    } else if ((e.key === '+' || e.key === '-') && query === '' && cart.lines.length > 0) {
      e.preventDefault();
      const last = cart.lines.length - 1;
      setCart(setQuantity(cart, last, (cart.lines[last]?.quantity ?? 1) + (e.key === '+' ? 1 : -1)));
    }
  }

  return (
    <div className="sale">
      <section className="catalog" aria-label="Products">
        <input
          ref={search}
          className="search"
          type="search"
          placeholder="Search products or scan a barcode (F2)"
          aria-label="Search products"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setHighlight(0);
          }}
          onKeyDown={onSearchKey}
          autoFocus
        />
        {query.trim() === '' && (
          <nav className="categories" aria-label="Categories">
            <button className={category === null ? 'tab active' : 'tab'} onClick={() => setCategory(null)}>
              All
            </button>
            {categories.map((c) => (
              <button key={c.id} className={category === c.id ? 'tab active' : 'tab'} onClick={() => setCategory(c.id)}>
                {c.name}
              </button>
            ))}
          </nav>
        )}
        <ProductGrid items={shown} highlight={query === '' ? -1 : highlight} currency={ctx.currency} onAdd={pick} />
      </section>

      <section className="cart" aria-label="Cart">
        {notice !== undefined && (
          <p className={`notice ${notice.kind}`} role={notice.kind === 'bad' ? 'alert' : 'status'}>
            {notice.text}
          </p>
        )}
        <ol className="lines" data-testid="cart-lines">
          {cart.lines.map((line, i) => (
            <li key={line.variant_id} className="line">
              <span className="name">{line.name}</span>
              <span className="qty">
                <button
                  aria-label={`One less ${line.name}`}
                  onClick={() => setCart(setQuantity(cart, i, line.quantity - 1))}
                >
                  −
                </button>
                <input
                  aria-label={`Quantity of ${line.name}`}
                  inputMode="numeric"
                  value={line.quantity}
                  onChange={(e) => {
                    const q = Number(e.target.value.replace(/\D/g, ''));
                    if (q > 0) setCart(setQuantity(cart, i, q));
                  }}
                />
                <button
                  aria-label={`One more ${line.name}`}
                  onClick={() => setCart(setQuantity(cart, i, line.quantity + 1))}
                >
                  +
                </button>
              </span>
              <span className="amount">{money(totals.lines[i]?.subtotal_cents ?? 0, ctx.currency)}</span>
              <button
                className="line-discount"
                aria-label={`Discount on ${line.name}`}
                title="Line discount (F3 for the last line)"
                onClick={() => setModal({ lineDiscount: i })}
              >
                %
              </button>
              <button
                className="remove"
                aria-label={`Remove ${line.name}`}
                onClick={() => setCart(setQuantity(cart, i, 0))}
              >
                ✕
              </button>
              {(line.discount_bp ?? 0) > 0 && (
                <span className="line-discount-note" data-testid="line-discount">
                  Line discount {percent(line.discount_bp ?? 0)}: −
                  {money(totals.lines[i]?.item_discount_cents ?? 0, ctx.currency)}
                </span>
              )}
            </li>
          ))}
          {cart.lines.length === 0 && <li className="muted empty">Scan a barcode or pick a product.</li>}
        </ol>
        <dl className="totals">
          <dt>Subtotal</dt>
          <dd>{money(totals.subtotal_cents, ctx.currency)}</dd>
          {totals.item_discount_cents > 0 && (
            <>
              <dt>Line discounts</dt>
              <dd>−{money(totals.item_discount_cents, ctx.currency)}</dd>
            </>
          )}
          {cart.discount_bp > 0 && (
            <>
              <dt>Discount {percent(cart.discount_bp)}</dt>
              <dd>−{money(totals.order_discount_cents, ctx.currency)}</dd>
            </>
          )}
          <dt>{totals.prices_include_tax ? 'Tax included' : 'Tax'}</dt>
          <dd>{money(totals.tax_cents, ctx.currency)}</dd>
          <dt className="total">Total</dt>
          <dd className="total" data-testid="total">
            {money(totals.total_cents, ctx.currency)}
          </dd>
        </dl>
        {cart.approval !== undefined && largestDiscount(cart) > ctx.cashier_discount_limit_bp && (
          <p className="approved">Discounts approved by {cart.approval.manager_name}</p>
        )}
        {cart.note !== '' && <p className="note">Note: {cart.note}</p>}
        {hasTakenMoney(cart) && (
          <p className="notice warn" role="status">
            Payments were taken on this sale: it cannot change. Pay what is left, or cancel it on the payment screen.
          </p>
        )}
        <div className="actions">
          <button onClick={() => setModal('discount')} title="Order discount (F4)">
            Discount F4
          </button>
          <button onClick={() => setModal('note')}>Note F9</button>
          <button onClick={() => void park()}>Park F6</button>
          <button onClick={() => void openResume()}>Resume F7</button>
          <button className="primary pay" onClick={pay}>
            Pay {money(totals.total_cents, ctx.currency)} · F8
          </button>
        </div>
      </section>

      {modal === 'discount' && (
        <DiscountDialog
          title="Order discount"
          current={cart.discount_bp}
          largestWith={(bp) => largestDiscount(cart, { orderBp: bp })}
          cart={cart}
          ctx={ctx}
          isManager={isManager}
          onClose={() => setModal(undefined)}
          onApply={(bp, approval) => {
            setCart({ ...cart, discount_bp: bp, approval });
            setModal(undefined);
            search.current?.focus();
          }}
        />
      )}
      {typeof modal === 'object' && cart.lines[modal.lineDiscount] !== undefined && (
        <DiscountDialog
          title={`Discount on ${cart.lines[modal.lineDiscount]?.name ?? ''}`}
          current={cart.lines[modal.lineDiscount]?.discount_bp ?? 0}
          largestWith={(bp) => largestDiscount(cart, { line: { index: modal.lineDiscount, bp } })}
          lineWith={(bp) => largestDiscountBp([bp], cart.discount_bp)}
          cart={cart}
          ctx={ctx}
          isManager={isManager}
          onClose={() => setModal(undefined)}
          onApply={(bp, approval) => {
            setCart({ ...setLineDiscount(cart, modal.lineDiscount, bp), approval });
            setModal(undefined);
            search.current?.focus();
          }}
        />
      )}
      {modal === 'note' && (
        <NoteDialog
          note={cart.note}
          onClose={() => setModal(undefined)}
          onSave={(note) => {
            setCart({ ...cart, note });
            setModal(undefined);
            search.current?.focus();
          }}
        />
      )}
      {modal === 'resume' && (
        <ParkedSalesDialog
          parked={parked}
          ctx={ctx}
          onClose={() => setModal(undefined)}
          onDelete={async (p, reason) => {
            await deleteParkedSale(p, reason, props.cashierName);
            setParked(await parkedCarts());
          }}
          onResume={(id) => {
            void (async () => {
              if (cart.lines.length > 0) {
                await parkCart(cart, { label: 'Put aside to resume another', cashier: props.cashierName });
              }
              const resumed = await resumeCart(id);
              // Parked at the prices of then: sold at the catalog's prices of now, as the server will.
              if (resumed !== undefined) setCart(repriceCart(resumed, (variantId) => catalog.get(variantId)));
              setModal(undefined);
            })();
          }}
        />
      )}
    </div>
  );
}

/** The product buttons; memoised so a scan (a new cart line) does not redraw the grid. */
const ProductGrid = memo(function ProductGrid(props: {
  items: readonly TillItem[];
  highlight: number;
  currency: string;
  onAdd: (item: TillItem) => void;
}) {
  return (
    <div className="grid" role="list">
      {props.items.map((item, i) => (
        <button
          key={item.variant_id}
          role="listitem"
          className={i === props.highlight ? 'product highlighted' : 'product'}
          onClick={() => props.onAdd(item)}
        >
          <span className="name">{item.name}</span>
          <span className="price">{money(item.unit_price_cents, props.currency)}</span>
        </button>
      ))}
      {props.items.length === 0 && <p className="muted">No products here.</p>}
    </div>
  );
});
