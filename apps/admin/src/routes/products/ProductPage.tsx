import { useEffect, useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'wouter';
import {
  addVariant,
  archiveProduct,
  archiveVariant,
  createCategory,
  createProduct,
  getProduct,
  listCategories,
  updateProduct,
  updateVariant,
  type NewVariant,
  type Product,
  type Variant,
} from '../../api/catalog.ts';
import { listLocations } from '../../api/locations.ts';
import { money, when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { Badge, ErrorNotice, Field, fieldError, Loading, Notice, Page, useAction } from '../../app/ui.tsx';
import { createdMessage, openingStockOf, type OpeningDraft } from './opening-stock.ts';
import { OpeningStockFields } from './OpeningStockFields.tsx';
import { VariantFields } from './VariantFields.tsx';
import { draftOf, emptyDraft, toNewVariant, type VariantDraft } from './variant-draft.ts';

const NEW_CATEGORY = '__new__';

/** The category select, with "New category…" that creates one on the spot. */
function CategoryField(props: { value: string; onChange: (id: string) => void; disabled: boolean; error: unknown }) {
  const categories = useLoad(() => listCategories(), []);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const action = useAction();
  const add = () =>
    void action.run(async () => {
      const category = await createCategory(name.trim());
      categories.reload();
      props.onChange(category.id);
      setAdding(false);
      setName('');
    });
  return (
    <Field
      label="Category"
      error={fieldError(props.error, 'category_id') ?? (action.error as Error | undefined)?.message}
    >
      {adding ? (
        <div className="row" style={{ flexWrap: 'nowrap' }}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New category name" autoFocus />
          <button type="button" className="btn small" disabled={name.trim() === '' || action.busy} onClick={add}>
            Add
          </button>
          <button type="button" className="btn small" onClick={() => setAdding(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <select
          value={props.value}
          disabled={props.disabled}
          onChange={(e) => (e.target.value === NEW_CATEGORY ? setAdding(true) : props.onChange(e.target.value))}
        >
          <option value="">No category</option>
          {categories.data?.data.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          <option value={NEW_CATEGORY}>New category…</option>
        </select>
      )}
    </Field>
  );
}

/** One saved variant: edit and save it alone, or archive it. */
function SavedVariant(props: { variant: Variant; editable: boolean; onChanged: () => void }) {
  const { currency } = useSession();
  const { variant } = props;
  const [draft, setDraft] = useState<VariantDraft>(() => draftOf(variant, currency));
  const [priceError, setPriceError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const archived = variant.archived_at !== null;
  const changed = JSON.stringify(draft) !== JSON.stringify(draftOf(variant, currency));
  // After a save the server's variant comes back: the form shows what is stored now.
  useEffect(() => setDraft(draftOf(variant, currency)), [variant, currency]);

  const save = () => {
    const body = toNewVariant(draft, currency);
    if ('priceError' in body) {
      setPriceError(body.priceError);
      return;
    }
    setPriceError(undefined);
    void action
      .run(async () => {
        await updateVariant(variant.id, { ...body, name: body.name ?? null, barcodes: body.barcodes ?? [] });
      })
      .then((ok) => {
        setSaved(ok);
        if (ok) props.onChanged();
      });
  };
  const archive = () => {
    if (!confirm(`Archive ${variant.sku}? It can no longer be sold; past sales keep it.`)) return;
    void action.run(async () => archiveVariant(variant.id).then(() => undefined)).then((ok) => ok && props.onChanged());
  };

  return (
    <div className="card" data-testid={`variant-${variant.sku}`}>
      <div className="card-head">
        <h3>
          {variant.name ?? 'Variant'} <span className="muted mono">{variant.sku}</span>{' '}
          {archived && <Badge>Archived {when(variant.archived_at)}</Badge>}
        </h3>
        <strong className="num">{money(variant.price_cents, currency)}</strong>
      </div>
      <ErrorNotice error={action.error} />
      {saved && !changed && <Notice kind="ok">Saved.</Notice>}
      <VariantFields
        draft={draft}
        onChange={(d) => {
          setSaved(false);
          setDraft(d);
        }}
        currency={currency}
        error={action.error}
        errorPrefix=""
        priceError={priceError}
        disabled={!props.editable || archived}
      />
      {props.editable && !archived && (
        <div className="row" style={{ marginTop: 12 }}>
          <button type="button" className="btn primary" disabled={!changed || action.busy} onClick={save}>
            Save variant
          </button>
          <span className="spacer" />
          <button type="button" className="btn danger" disabled={action.busy} onClick={archive}>
            Archive variant
          </button>
        </div>
      )}
    </div>
  );
}

/** Adds one variant to an existing product. */
function AddVariant(props: { productId: string; onAdded: () => void }) {
  const { currency } = useSession();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<VariantDraft>(emptyDraft);
  const [priceError, setPriceError] = useState<string | undefined>(undefined);
  const action = useAction();
  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        Add a variant
      </button>
    );
  }
  const add = () => {
    const body = toNewVariant(draft, currency);
    if ('priceError' in body) {
      setPriceError(body.priceError);
      return;
    }
    setPriceError(undefined);
    void action
      .run(async () => addVariant(props.productId, body).then(() => undefined))
      .then((ok) => {
        if (!ok) return;
        setDraft(emptyDraft());
        setOpen(false);
        props.onAdded();
      });
  };
  return (
    <div className="card">
      <div className="card-head">
        <h3>New variant</h3>
      </div>
      <ErrorNotice error={action.error} />
      <VariantFields
        draft={draft}
        onChange={setDraft}
        currency={currency}
        error={action.error}
        errorPrefix=""
        priceError={priceError}
        disabled={false}
      />
      <div className="row" style={{ marginTop: 12 }}>
        <button type="button" className="btn primary" disabled={action.busy} onClick={add}>
          Add variant
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** A new product with its first variants, created in one call (all or nothing). */
function NewProduct() {
  const { currency } = useSession();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [variants, setVariants] = useState<VariantDraft[]>([emptyDraft()]);
  const [openings, setOpenings] = useState<OpeningDraft[]>([{}]);
  const [priceErrors, setPriceErrors] = useState<(string | undefined)[]>([]);
  const [openingErrors, setOpeningErrors] = useState<(string | undefined)[]>([]);
  const locations = useLoad(() => listLocations(false), []);
  const activeLocations = locations.data?.data ?? [];
  const locationName = (id: string) => activeLocations.find((l) => l.id === id)?.name ?? 'that location';
  const action = useAction();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const bodies = variants.map((v) => toNewVariant(v, currency));
    const errors = bodies.map((b) => ('priceError' in b ? b.priceError : undefined));
    const stock = variants.map((_, i) => openingStockOf(openings[i] ?? {}, locationName));
    const stockErrors = stock.map((s) => ('error' in s ? s.error : undefined));
    setPriceErrors(errors);
    setOpeningErrors(stockErrors);
    if ([...errors, ...stockErrors].some((e) => e !== undefined)) return;
    void action.run(async () => {
      const product = await createProduct({
        name: name.trim(),
        ...(description.trim() === '' ? {} : { description: description.trim() }),
        category_id: categoryId === '' ? null : categoryId,
        variants: bodies
          .filter((b): b is NewVariant => !('priceError' in b))
          .map((b, i) => {
            const opening = stock[i];
            return opening !== undefined && 'opening' in opening && opening.opening.length > 0
              ? { ...b, opening_stock: opening.opening }
              : b;
          }),
      });
      // The product's page says what is true of it now: its stock, and whether the tills will sell it.
      navigate(`/products/${product.id}?created=1`, { state: { created: createdMessage(product) } });
    });
  };

  return (
    <Page title="New product" subtitle={<Link href="/products">← All products</Link>}>
      <form onSubmit={submit} className="stack" aria-label="New product">
        <ErrorNotice error={action.error} />
        <div className="card">
          <div className="form-grid">
            <Field label="Name" error={fieldError(action.error, 'name')}>
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} name="name" />
            </Field>
            <CategoryField value={categoryId} onChange={setCategoryId} disabled={false} error={action.error} />
            <Field label="Description" hint="Optional">
              <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
            </Field>
          </div>
        </div>
        {variants.map((draft, i) => (
          <div className="card" key={i}>
            <div className="card-head">
              <h3>Variant {variants.length > 1 ? i + 1 : ''}</h3>
              {variants.length > 1 && (
                <button
                  type="button"
                  className="btn small"
                  onClick={() => {
                    setVariants((vs) => vs.filter((_, j) => j !== i));
                    setOpenings((os) => os.filter((_, j) => j !== i));
                  }}
                >
                  Remove
                </button>
              )}
            </div>
            <VariantFields
              draft={draft}
              onChange={(d) => setVariants((vs) => vs.map((v, j) => (j === i ? d : v)))}
              currency={currency}
              error={action.error}
              errorPrefix={`variants[${i}].`}
              priceError={priceErrors[i]}
              disabled={false}
            />
            <OpeningStockFields
              locations={activeLocations}
              draft={openings[i] ?? {}}
              onChange={(d) => setOpenings((os) => variants.map((_, j) => (j === i ? d : (os[j] ?? {}))))}
              error={openingErrors[i]}
            />
          </div>
        ))}
        <div className="row">
          <button
            type="button"
            className="btn"
            onClick={() => {
              setVariants((vs) => [...vs, emptyDraft()]);
              setOpenings((os) => [...os, {}]);
            }}
          >
            Add another variant
          </button>
          <span className="spacer" />
          <button type="submit" className="btn primary" disabled={action.busy}>
            {action.busy ? 'Creating…' : 'Create product'}
          </button>
        </div>
      </form>
    </Page>
  );
}

/** An existing product: its details, its variants one by one, archive. */
function EditProduct(props: { product: Product; onChanged: () => void }) {
  const { can } = useSession();
  const { product } = props;
  const editable = can('catalog.write') && product.archived_at === null;
  const [name, setName] = useState(product.name);
  const [description, setDescription] = useState(product.description ?? '');
  const [categoryId, setCategoryId] = useState(product.category_id ?? '');
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const justCreated = new URLSearchParams(location.search).has('created');
  const createdNote = (history.state as { created?: unknown } | null)?.created;
  useEffect(() => {
    setName(product.name);
    setDescription(product.description ?? '');
    setCategoryId(product.category_id ?? '');
  }, [product]);

  const changes = {
    ...(name.trim() !== product.name ? { name: name.trim() } : {}),
    ...(description.trim() !== (product.description ?? '')
      ? { description: description.trim() === '' ? null : description.trim() }
      : {}),
    ...(categoryId !== (product.category_id ?? '') ? { category_id: categoryId === '' ? null : categoryId } : {}),
  };
  const changed = Object.keys(changes).length > 0;

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => updateProduct(product.id, changes).then(() => undefined))
      .then((ok) => {
        setSaved(ok);
        if (ok) props.onChanged();
      });
  };
  const archive = () => {
    if (!confirm(`Archive ${product.name} and all its variants? They can no longer be sold.`)) return;
    void action.run(async () => archiveProduct(product.id).then(() => undefined)).then((ok) => ok && props.onChanged());
  };

  return (
    <Page
      title={product.name}
      subtitle={<Link href="/products">← All products</Link>}
      actions={
        product.archived_at !== null ? (
          <Badge>Archived {when(product.archived_at)}</Badge>
        ) : (
          editable && (
            <button type="button" className="btn danger" onClick={archive} disabled={action.busy}>
              Archive product
            </button>
          )
        )
      }
    >
      <div className="stack">
        {justCreated && (
          <div data-testid="created">
            <Notice kind={typeof createdNote === 'string' && createdNote.includes('No stock yet') ? 'info' : 'ok'}>
              {typeof createdNote === 'string' ? createdNote : 'Product created.'}
            </Notice>
          </div>
        )}
        <ErrorNotice error={action.error} />
        {saved && !changed && <Notice kind="ok">Saved.</Notice>}
        <form className="card" onSubmit={save} aria-label="Product details">
          <div className="form-grid">
            <Field label="Name" error={fieldError(action.error, 'name')}>
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={200}
                disabled={!editable}
              />
            </Field>
            <CategoryField value={categoryId} onChange={setCategoryId} disabled={!editable} error={action.error} />
            <Field label="Description">
              <input
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                maxLength={2000}
                disabled={!editable}
              />
            </Field>
          </div>
          {editable && (
            <div className="row" style={{ marginTop: 12 }}>
              <button type="submit" className="btn primary" disabled={!changed || action.busy}>
                Save details
              </button>
            </div>
          )}
        </form>
        <h2>Variants</h2>
        {product.variants.map((v) => (
          <SavedVariant key={v.id} variant={v} editable={editable} onChanged={props.onChanged} />
        ))}
        {editable && <AddVariant productId={product.id} onAdded={props.onChanged} />}
      </div>
    </Page>
  );
}

export function ProductPage(props: { id: string | undefined }) {
  if (props.id === undefined) return <NewProduct />;
  return <ExistingProduct id={props.id} />;
}

function ExistingProduct(props: { id: string }) {
  const product = useLoad(() => getProduct(props.id), [props.id]);
  if (product.data === undefined) {
    return (
      <Page title="Product" subtitle={<Link href="/products">← All products</Link>}>
        <ErrorNotice error={product.error} />
        {product.error === undefined && <Loading />}
      </Page>
    );
  }
  return <EditProduct key={product.data.id} product={product.data} onChanged={product.reload} />;
}
