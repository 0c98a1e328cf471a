import { highestTenantRole } from '@novapos/domain';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { SignInPage } from '../routes/sign-in/SignInPage.tsx';
import { AttentionPage } from '../routes/attention/AttentionPage.tsx';
import { AuditPage } from '../routes/audit/AuditPage.tsx';
import { CategoriesPage } from '../routes/categories/CategoriesPage.tsx';
import { DashboardPage } from '../routes/dashboard/DashboardPage.tsx';
import { LocationsPage } from '../routes/locations/LocationsPage.tsx';
import { OrderPage } from '../routes/orders/OrderPage.tsx';
import { OrdersPage } from '../routes/orders/OrdersPage.tsx';
import { ImportPage } from '../routes/products/ImportPage.tsx';
import { ProductPage } from '../routes/products/ProductPage.tsx';
import { ProductsPage } from '../routes/products/ProductsPage.tsx';
import { SettingsPage } from '../routes/settings/SettingsPage.tsx';
import { StockPage } from '../routes/stock/StockPage.tsx';
import { TaxPage } from '../routes/tax/TaxPage.tsx';
import { UsersPage } from '../routes/users/UsersPage.tsx';
import type { Permission } from './permissions.ts';
import { SessionProvider, useSession, useSessionStatus } from './session-context.tsx';
import { ErrorBoundary, Loading, Page, Notice } from './ui.tsx';

interface Section {
  readonly href: string;
  readonly label: string;
  /** Hidden from roles that the server would refuse. */
  readonly needs?: Permission;
}

const SECTIONS: readonly Section[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/orders', label: 'Orders' },
  { href: '/attention', label: 'Sales needing attention', needs: 'attention.read' },
  { href: '/products', label: 'Products' },
  { href: '/categories', label: 'Categories' },
  { href: '/stock', label: 'Stock' },
  { href: '/tax', label: 'Tax', needs: 'tax.read' },
  { href: '/users', label: 'Staff', needs: 'users.manage' },
  { href: '/locations', label: 'Locations & registers' },
  { href: '/audit', label: 'Audit log', needs: 'audit.read' },
  { href: '/settings', label: 'Settings' },
];

function NavLink(props: { href: string; label: string }) {
  const [location] = useLocation();
  const current = props.href === '/' ? location === '/' : location.startsWith(props.href);
  return (
    <Link href={props.href} className="nav-link" aria-current={current ? 'page' : undefined}>
      {props.label}
    </Link>
  );
}

function Shell() {
  const { me, can, signOut } = useSession();
  const [location] = useLocation();
  const role = highestTenantRole(me.roles);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark">N</span> NovaPOS
        </div>
        {SECTIONS.filter((s) => s.needs === undefined || can(s.needs)).map((s) => (
          <NavLink key={s.href} href={s.href} label={s.label} />
        ))}
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="who">
            <div>{me.display_name}</div>
            <small data-testid="role">
              {role ?? 'no role'} · {me.email}
            </small>
          </div>
          <button type="button" className="btn small" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        <ErrorBoundary resetKey={location}>
          <Switch>
            <Route path="/" component={DashboardPage} />
            <Route path="/orders" component={OrdersPage} />
            <Route path="/orders/:id">{(p) => <OrderPage id={p.id} />}</Route>
            <Route path="/attention" component={AttentionPage} />
            <Route path="/products" component={ProductsPage} />
            <Route path="/products/import" component={ImportPage} />
            <Route path="/products/new">{() => <ProductPage id={undefined} />}</Route>
            <Route path="/products/:id">{(p) => <ProductPage id={p.id} />}</Route>
            <Route path="/categories" component={CategoriesPage} />
            <Route path="/stock" component={StockPage} />
            <Route path="/tax" component={TaxPage} />
            <Route path="/users" component={UsersPage} />
            <Route path="/locations" component={LocationsPage} />
            <Route path="/audit" component={AuditPage} />
            <Route path="/settings" component={SettingsPage} />
            <Route>
              <Page title="Not found">
                <Notice kind="info">
                  There is no such page. <Link href="/">Back to the dashboard</Link>
                </Notice>
              </Page>
            </Route>
          </Switch>
        </ErrorBoundary>
      </div>
    </div>
  );
}

/** The back office: the sign-in page until someone is signed in, then the shell with its sections. */
export function App() {
  const [status, signedIn] = useSessionStatus();
  if (status.kind === 'checking') return <Loading />;
  return (
    <Router base="/admin">
      {status.kind === 'signed_out' ? (
        <SignInPage reason={status.reason} onSignedIn={signedIn} />
      ) : (
        <SessionProvider signed={status.signed}>
          <Shell />
        </SessionProvider>
      )}
    </Router>
  );
}
