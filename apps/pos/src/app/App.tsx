import type { ReceiptData } from '@novapos/domain';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, call, hasSession, ok, onSignedOut, setSession, type TillContext } from '../api/api.ts';
import { catalog, loadCachedCatalog, syncCatalog } from '../data/catalog.ts';
import { getMeta, setMeta, type DeviceConfig } from '../data/db.ts';
import { enqueue, flushQueue, initQueue, sendOrder, setOnline, syncState } from '../data/queue.ts';
import { receiptFromCart, receiptFromOrder } from '../features/receipt/receipt-data.ts';
import { ReceiptScreen } from '../features/receipt/ReceiptScreen.tsx';
import { newCart, repriceCart, type Cart } from '../features/sale/cart.ts';
import { SaleScreen } from '../features/sale/SaleScreen.tsx';
import { ResetTill } from '../features/device/ResetTill.tsx';
import { DeviceSetup } from '../features/setup/DeviceSetup.tsx';
import { PinSignIn } from '../features/signin/PinSignIn.tsx';
import { StatusBar } from '../features/status/StatusBar.tsx';
import { orderBody, type Tender } from '../features/tender/tenders.ts';
import { TenderScreen } from '../features/tender/TenderScreen.tsx';
import { ErrorNote } from './ErrorNote.tsx';

interface Cashier {
  readonly display_name: string;
  readonly roles: readonly string[];
}

type Phase = 'loading' | 'setup' | 'signin' | 'reset' | 'till';
type Screen =
  | { kind: 'sale' }
  | { kind: 'tender' }
  | { kind: 'receipt'; receipt: ReceiptData; saleId: string; orderId: string | undefined; queued: boolean };

const CASHIER_KEY = 'novapos.till.cashier';
const SYNC_EVERY_MS = 15_000;

function isNetwork(err: unknown): boolean {
  return err instanceof ApiError && err.isNetwork;
}

/** The till: device set-up, PIN sign-in, then selling; the catalog and unsent sales live in IndexedDB. */
export function App() {
  const [phase, setPhase] = useState<Phase>('loading');
  const [device, setDevice] = useState<DeviceConfig>();
  const [ctx, setCtx] = useState<TillContext>();
  const [cashier, setCashier] = useState<Cashier>();
  const [catalogVersion, setCatalogVersion] = useState(0);
  const [cart, setCartState] = useState<Cart>(newCart);
  const [screen, setScreen] = useState<Screen>({ kind: 'sale' });
  const [busy, setBusy] = useState(false);
  const [tenderError, setTenderError] = useState<unknown>();
  const [startError, setStartError] = useState<unknown>();

  /** Updates the cart from its latest state (two scans in one frame must both count). */
  const setCart = useCallback((update: Cart | ((current: Cart) => Cart)) => {
    setCartState((current) => {
      const next = typeof update === 'function' ? update(current) : update;
      if (next === current) return current;
      // Unfinished work is mirrored to the device: a reload or a crash does not lose the cart.
      void setMeta('cart', next);
      return next;
    });
  }, []);

  /** After a PIN sign-in (or a reload with a session): who, the pricing context, the catalog, the queue. */
  const enterTill = useCallback(async (dev: DeviceConfig) => {
    setStartError(undefined);
    await loadCachedCatalog();
    await initQueue();
    setCatalogVersion((v) => v + 1);
    try {
      const me = await call(() => ok(api.GET('/v1/me')));
      const who = { display_name: me.display_name, roles: me.roles };
      sessionStorage.setItem(CASHIER_KEY, JSON.stringify(who));
      setCashier(who);
      const context = await call(() =>
        ok(api.GET('/v1/pos/context', { params: { query: { register_id: dev.register_id } } })),
      );
      await setMeta('context', context);
      setCtx(context);
      setOnline(true);
      setPhase('till');
      await syncCatalog();
      setCatalogVersion((v) => v + 1);
      void flushQueue();
    } catch (err) {
      if (!isNetwork(err)) {
        setStartError(err);
        if (!hasSession()) setPhase('signin');
        return;
      }
      // Offline start: sell from what this till has cached.
      setOnline(false);
      const cachedCtx = await getMeta<TillContext>('context');
      const who = sessionStorage.getItem(CASHIER_KEY);
      if (cachedCtx === undefined || who === null) {
        setStartError(err);
        return;
      }
      setCtx(cachedCtx);
      setCashier(JSON.parse(who) as Cashier);
      setPhase('till');
    }
  }, []);

  useEffect(() => {
    void (async () => {
      const dev = await getMeta<DeviceConfig>('device');
      const saved = await getMeta<Cart>('cart');
      if (saved !== undefined) setCartState(saved);
      setDevice(dev);
      if (dev === undefined) setPhase('setup');
      else if (!hasSession()) setPhase('signin');
      else await enterTill(dev);
    })();
    return onSignedOut(() => setPhase('signin'));
  }, [enterTill]);

  // The cart follows the catalog: a price changed in the back office is the price the server will charge.
  useEffect(() => {
    if (screen.kind === 'sale') setCart((current) => repriceCart(current, (id) => catalog.get(id)));
  }, [catalogVersion, screen.kind, setCart]);

  // The connection: browser events, and a poll that sends the queue, pulls catalog changes and the pricing context
  // (a tax override or a money setting changed while the till is open must change its totals as the server's).
  useEffect(() => {
    if (phase !== 'till' || device === undefined) return;
    // The context as last fetched by this poll: unchanged, it is neither stored again nor re-rendered.
    let last: string | undefined;
    const refreshContext = async () => {
      const context = await call(() =>
        ok(api.GET('/v1/pos/context', { params: { query: { register_id: device.register_id } } })),
      );
      const json = JSON.stringify(context);
      if (json === last) return;
      last = json;
      setCtx((current) => (JSON.stringify(current) === json ? current : context));
      await setMeta('context', context);
    };
    const tick = () => {
      if (!navigator.onLine) return;
      void flushQueue();
      refreshContext().catch((err: unknown) => {
        if (isNetwork(err)) setOnline(false);
      });
      syncCatalog().then(
        (n) => {
          setOnline(true);
          if (n > 0) setCatalogVersion((v) => v + 1);
        },
        (err: unknown) => {
          if (isNetwork(err)) setOnline(false);
        },
      );
    };
    const online = () => {
      setOnline(true);
      tick();
    };
    const offline = () => setOnline(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    const timer = setInterval(tick, SYNC_EVERY_MS);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      clearInterval(timer);
    };
  }, [phase, device]);

  async function complete(tenders: Tender[]) {
    if (ctx === undefined) return;
    const body = orderBody(cart, tenders, ctx);
    const hasCard = tenders.some((t) => t.method === 'card');
    const local = receiptFromCart(cart, tenders, ctx);
    const queueIt = async () => {
      await enqueue(body);
      setScreen({ kind: 'receipt', receipt: local, saleId: cart.id, orderId: undefined, queued: true });
      void flushQueue();
    };
    setTenderError(undefined);
    // Sales go out in order: while older ones wait, a new cash sale joins the queue behind them.
    const state = syncState();
    if (!hasCard && (state.queued > 0 || !state.online || !navigator.onLine)) {
      await queueIt();
      return;
    }
    setBusy(true);
    try {
      const order = await sendOrder(body);
      setOnline(true);
      if (order.status !== 'completed') throw new ApiError({ code: 'insufficient_tender', status: 422 });
      setScreen({
        kind: 'receipt',
        receipt: receiptFromOrder(order, ctx),
        saleId: cart.id,
        orderId: order.id,
        queued: false,
      });
    } catch (err) {
      if (isNetwork(err) && !hasCard) {
        setOnline(false);
        await queueIt();
      } else {
        if (isNetwork(err)) setOnline(false);
        // A declined card leaves an open order under this id on the server: the retry is a new sale id.
        if (err instanceof ApiError && err.code === 'payment_declined') setCart({ ...cart, id: crypto.randomUUID() });
        setTenderError(err);
        setScreen({ kind: 'tender' });
      }
    } finally {
      setBusy(false);
    }
  }

  function startNewSale() {
    setCart(newCart());
    setTenderError(undefined);
    setScreen({ kind: 'sale' });
  }

  if (phase === 'loading') return <main className="panel">Starting the till…</main>;
  if (phase === 'setup' || device === undefined) {
    return (
      <DeviceSetup
        onDone={(dev) => {
          void setMeta('device', dev).then(() => {
            setDevice(dev);
            setPhase('signin');
          });
        }}
      />
    );
  }
  if (phase === 'reset') {
    return (
      <ResetTill
        device={device}
        onCancel={() => setPhase('signin')}
        // A fresh start: nothing of the old set-up (catalog index, cart, queue counts) stays in memory.
        onReset={() => location.reload()}
      />
    );
  }
  if (phase === 'signin') {
    return (
      <>
        <PinSignIn device={device} onSignedIn={() => void enterTill(device)} onResetTill={() => setPhase('reset')} />
        <ErrorNote error={startError} />
      </>
    );
  }
  if (ctx === undefined || cashier === undefined) {
    return (
      <main className="panel">
        <p>Loading the shop’s prices…</p>
        <ErrorNote error={startError} />
      </main>
    );
  }
  const isManager = cashier.roles.some((r) => r === 'manager' || r === 'admin' || r === 'owner');
  return (
    <div className="till">
      <StatusBar
        register={`${ctx.location_name} · ${ctx.register_name}`}
        cashier={cashier.display_name}
        items={catalog.size}
        onSignOut={() => {
          setSession(undefined);
          setPhase('signin');
        }}
      />
      {screen.kind === 'sale' && (
        <SaleScreen
          ctx={ctx}
          cart={cart}
          setCart={setCart}
          isManager={isManager}
          catalogVersion={catalogVersion}
          onPay={() => setScreen({ kind: 'tender' })}
        />
      )}
      {screen.kind === 'tender' && (
        <TenderScreen
          key={cart.id}
          ctx={ctx}
          cart={cart}
          busy={busy}
          error={tenderError}
          onBack={() => setScreen({ kind: 'sale' })}
          onComplete={(tenders) => void complete(tenders)}
        />
      )}
      {screen.kind === 'receipt' && (
        <ReceiptScreen
          receipt={screen.receipt}
          saleId={screen.saleId}
          orderId={screen.orderId}
          queued={screen.queued}
          onNewSale={startNewSale}
        />
      )}
    </div>
  );
}
