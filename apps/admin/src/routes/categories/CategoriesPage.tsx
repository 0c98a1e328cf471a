import { useRef, useState, type SyntheticEvent } from 'react';
import {
  archiveCategory,
  createCategory,
  listAllCategories,
  reorderCategories,
  updateCategory,
  type Category,
} from '../../api/catalog.ts';
import { when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import {
  Badge,
  Dialog,
  Empty,
  ErrorNotice,
  Field,
  fieldError,
  Loading,
  Notice,
  Page,
  useAction,
} from '../../app/ui.tsx';
import { CATEGORY_NAME_MAX, moveCategory, nameProblem, parsePosition, positionProblem } from './category-order.ts';

/** Renames a category or sets its position by hand. */
function CategoryDialog(props: { category: Category; onClose: () => void; onDone: (message: string) => void }) {
  const { category } = props;
  const [name, setName] = useState(category.name);
  const [position, setPosition] = useState(String(category.position));
  const [problems, setProblems] = useState<{ name?: string | undefined; position?: string | undefined }>({});
  const action = useAction();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const found = {
      name: nameProblem(name),
      position: position.trim() === '' ? 'Enter a position.' : positionProblem(position),
    };
    setProblems(found);
    if (found.name !== undefined || found.position !== undefined) return;
    const next = { name: name.trim(), position: parsePosition(position) as number };
    const change = {
      ...(next.name === category.name ? {} : { name: next.name }),
      ...(next.position === category.position ? {} : { position: next.position }),
    };
    if (Object.keys(change).length === 0) {
      props.onClose();
      return;
    }
    void action
      .run(async () => {
        await updateCategory(category.id, change);
      })
      .then((ok) => ok && props.onDone(`${next.name} saved.`));
  };
  return (
    <Dialog
      title={`Edit ${category.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="category-form" className="btn primary" disabled={action.busy}>
            Save
          </button>
        </>
      }
    >
      <form id="category-form" className="stack" onSubmit={submit} noValidate>
        <ErrorNotice error={action.error} />
        <div className="form-grid">
          <Field label="Name" error={problems.name ?? fieldError(action.error, 'name')}>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={CATEGORY_NAME_MAX}
              aria-invalid={problems.name !== undefined}
              autoFocus
            />
          </Field>
          <Field
            label="Position"
            hint="Lower comes first on the till"
            error={problems.position ?? fieldError(action.error, 'position')}
          >
            <input
              value={position}
              onChange={(e) => setPosition(e.target.value)}
              inputMode="numeric"
              aria-invalid={problems.position !== undefined}
            />
          </Field>
        </div>
      </form>
    </Dialog>
  );
}

/** The new-category form: a name and, optionally, a position (blank: at the end of the list). */
function NewCategory(props: { active: readonly Category[]; onDone: (message: string) => void }) {
  const [name, setName] = useState('');
  const [position, setPosition] = useState('');
  const [problems, setProblems] = useState<{ name?: string | undefined; position?: string | undefined }>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const action = useAction();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const found = { name: nameProblem(name), position: positionProblem(position) };
    setProblems(found);
    if (found.name !== undefined || found.position !== undefined) return;
    // Blank: the server puts it last (the highest active position + 10).
    const at = parsePosition(position) ?? undefined;
    const clean = name.trim();
    void action
      .run(async () => {
        await createCategory(clean, at);
      })
      .then((ok) => {
        if (!ok) return;
        setName('');
        setPosition('');
        nameRef.current?.focus();
        props.onDone(`${clean} created.`);
      });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="New category" noValidate>
      <div className="card-head">
        <h2>New category</h2>
      </div>
      <ErrorNotice error={action.error} />
      <div className="filters" style={{ marginBottom: 0 }}>
        <Field label="Name" error={problems.name ?? fieldError(action.error, 'name')}>
          <input
            ref={nameRef}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={CATEGORY_NAME_MAX}
            aria-invalid={problems.name !== undefined}
            placeholder="e.g. Hot drinks"
            style={{ width: 300 }}
          />
        </Field>
        <Field label="Position" error={problems.position ?? fieldError(action.error, 'position')}>
          <input
            value={position}
            onChange={(e) => setPosition(e.target.value)}
            inputMode="numeric"
            aria-invalid={problems.position !== undefined}
            placeholder="last"
            title="Optional: lower comes first; blank puts it last"
            style={{ width: 120 }}
          />
        </Field>
        <button type="submit" className="btn primary" disabled={action.busy}>
          Add category
        </button>
      </div>
    </form>
  );
}

/** Product categories: how the till groups its grid and the order it shows them in. */
export function CategoriesPage() {
  const { can } = useSession();
  const manage = can('catalog.write');
  const [archived, setArchived] = useState(false);
  const categories = useLoad(() => listAllCategories(archived), [archived]);
  const [editing, setEditing] = useState<Category | undefined>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const action = useAction();

  const rows = categories.data ?? [];
  const active = rows.filter((c) => c.archived_at === null);
  const done = (message: string) => {
    setSaved(message);
    categories.reload();
  };
  const move = (c: Category, direction: -1 | 1) => {
    // The buttons stay enabled (and focused) while a move is saved, so the keyboard can press again: one at a time.
    if (action.busy || categories.loading) return;
    const order = moveCategory(active, c.id, direction);
    if (order === null) return;
    void action
      .run(async () => {
        // One call, one transaction: the whole active list in its new order. If someone else added or archived a
        // category since the list was loaded, the server refuses (409) and the reload below shows theirs.
        await reorderCategories(order);
      })
      .then((ok) => {
        setSaved(ok ? `${c.name} moved ${direction < 0 ? 'up' : 'down'}.` : undefined);
        categories.reload();
      });
  };
  const archive = (c: Category) => {
    if (!confirm(`Archive ${c.name}? Its products keep it, but it leaves the till and no product can join it.`)) return;
    void action
      .run(async () => {
        await archiveCategory(c.id);
      })
      .then((ok) => ok && done(`${c.name} archived.`));
  };

  return (
    <Page
      title="Categories"
      subtitle="How products are grouped on the till and in the back office, in this order (lower position first)."
      actions={
        <label className="check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived
        </label>
      }
    >
      <div className="stack">
        <ErrorNotice error={action.error} />
        {saved !== undefined && <Notice kind="ok">{saved}</Notice>}
        {manage && <NewCategory active={active} onDone={done} />}
        <div className="card">
          <ErrorNotice error={categories.error} />
          {categories.data === undefined ? (
            categories.error === undefined && <Loading />
          ) : rows.length === 0 ? (
            <Empty>No categories yet.{manage && ' Add the first one above; products can then be put into it.'}</Empty>
          ) : (
            <table data-testid="categories">
              <thead>
                <tr>
                  <th className="num">Position</th>
                  <th>Name</th>
                  <th>Changed</th>
                  {manage && <th className="right">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => {
                  const index = active.indexOf(c);
                  return (
                    <tr
                      key={c.id}
                      className={c.archived_at === null ? '' : 'archived'}
                      data-testid={`category-${c.name}`}
                    >
                      <td className="num">{c.position}</td>
                      <td>
                        {c.name} {c.archived_at !== null && <Badge>Archived</Badge>}
                      </td>
                      <td className="muted nowrap">{when(c.updated_at)}</td>
                      {manage && (
                        <td className="right">
                          {c.archived_at === null && (
                            <div className="row" style={{ justifyContent: 'flex-end' }}>
                              <button
                                type="button"
                                className="btn small"
                                aria-label={`Move ${c.name} up`}
                                title="Move up"
                                disabled={index <= 0}
                                onClick={() => move(c, -1)}
                              >
                                ↑
                              </button>
                              <button
                                type="button"
                                className="btn small"
                                aria-label={`Move ${c.name} down`}
                                title="Move down"
                                disabled={index === active.length - 1}
                                onClick={() => move(c, 1)}
                              >
                                ↓
                              </button>
                              <button type="button" className="btn small" onClick={() => setEditing(c)}>
                                Edit
                              </button>
                              <button
                                type="button"
                                className="btn small danger"
                                disabled={action.busy}
                                onClick={() => archive(c)}
                              >
                                Archive
                              </button>
                            </div>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      </div>
      {editing !== undefined && (
        <CategoryDialog
          category={editing}
          onClose={() => setEditing(undefined)}
          onDone={(message) => {
            setEditing(undefined);
            done(message);
          }}
        />
      )}
    </Page>
  );
}
