import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { isNetworkError } from '../api/api.ts';
import { signOut } from '../api/auth.ts';
import { hasSession, onSignedOut } from '../api/session.ts';
import type { TillContext } from '../api/types.ts';
import { cartStore } from '../data/cart-store.ts';
import { catalog } from '../data/catalog.ts';
import { getMeta, setMeta, type DeviceConfig, type ShownReceipt } from '../data/db.ts';
import { ConflictScreen } from '../features/conflicts/ConflictScreen.tsx';
import { ResetTill } from '../features/device/ResetTill.tsx';
import { ReceiptScreen } from '../features/receipt/ReceiptScreen.tsx';
import { repriceCart } from '../features/sale/cart.ts';
import { SaleScreen } from '../features/sale/SaleScreen.tsx';
import { DeviceSetup } from '../features/setup/DeviceSetup.tsx';
import { PinSignIn } from '../features/signin/PinSignIn.tsx';
import { StatusBar } from '../features/status/StatusBar.tsx';
import { giveBackSentences } from '../features/tender/give-back.ts';
import type { Tender } from '../features/tender/tenders.ts';
import { TenderScreen } from '../features/tender/TenderScreen.tsx';
import { flushQueue } from './checkout.ts';
import { setOnline } from './connection.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { cancelSale, leaveReceipt, payCart, restoreSale } from './sale-completion.ts';
import { parkForNextCashier } from './sign-out.ts';
import { startSync, syncCatalog } from './sync.ts';
import { openLocalTill, startSession, type Cashier } from './till-session.ts';

type Phase = 'loading' | 'setup' | 'signin' | 'reset' | 'till';
type Screen =
  { kind: 'sale'; notice?: string } | { kind: 'tender' } | { kind: 'conflicts' } | ({ kind: 'receipt' } & ShownReceipt);

/**
 * The till's shell: device set-up, PIN sign-in, then selling (sale → payment → receipt). The work is elsewhere:
 * starting a session (`till-session.ts`), the poll (`sync.ts`), paying, cancelling and ending a sale
 * (`sale-completion.ts`, `checkout.ts`), signing out (`sign-out.ts`), the cart and its mirror on the device
 * (`data/cart-store.ts`); this component holds the phase and the screen.
 */
export function App() {
  const [phase, setPhase] = useState<Phase>('loading');
  const [device, setDevice] = useState<DeviceConfig>();
  const [ctx, setCtx] = useState<TillContext>();
  const [cashier, setCashier] = useState<Cashier>();
  const [catalogVersion, setCatalogVersion] = useState(0);
  const cart = useSyncExternalStore(cartStore.subscribe, cartStore.get);
  const [screen, setScreen] = useState<Screen>({ kind: 'sale' });
  const [busy, setBusy] = useState(false);
  const [tenderError, setTenderError] = useState<unknown>();
  const [startError, setStartError] = useState<unknown>();
  // Who to park the sale under when the session ends by itself (the listener outlives renders).
  const cashierName = useRef<string>(undefined);
  cashierName.current = cashier?.display_name;
  // The tenders of the last payment sent: a refused sale sent again (approved beyond stock) pays with them.
  const lastTenders = useRef<Tender[]>([]);
  const catalogChanged = useCallback(() => setCatalogVersion((v) => v + 1), []);

  /** After a PIN sign-in (or a reload with a session): the cache first, then who, the pricing context, the catalog. */
  const enterTill = useCallback(
    async (dev: DeviceConfig) => {
      setStartError(undefined);
      await openLocalTill();
      catalogChanged();
      const start = await startSession(dev);
      if (start.kind === 'failed') {
        setStartError(start.error);
        if (!hasSession()) setPhase('signin');
        return;
      }
      setCashier(start.cashier);
      setCtx(start.context);
      setPhase('till');
      if (start.kind === 'offline') return;
      try {
        await syncCatalog();
        catalogChanged();
        void flushQueue();
      } catch (err) {
        // Offline now: the till sells from its cache and the poll catches up.
        if (isNetworkError(err)) setOnline(false);
        else setStartError(err);
      }
    },
    [catalogChanged],
  );

  useEffect(() => {
    void (async () => {
      const dev = await getMeta('device');
      const shown = await restoreSale();
      if (shown !== undefined) setScreen({ kind: 'receipt', ...shown });
      setDevice(dev);
      if (dev === undefined) setPhase('setup');
      else if (!hasSession()) setPhase('signin');
      else await enterTill(dev);
    })();
    return onSignedOut(() => {
      void parkForNextCashier(cashierName.current).finally(() => {
        setScreen({ kind: 'sale' });
        setPhase('signin');
      });
    });
  }, [enterTill]);

  // A reload or a closed tab must not lose the cart's last change, still waiting for its debounced save.
  useEffect(() => {
    const save = () => void cartStore.flush();
    const hidden = () => {
      if (document.visibilityState === 'hidden') save();
    };
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, []);

  // The cart follows the catalog: a price changed in the back office is the price the server will charge.
  useEffect(() => {
    if (screen.kind === 'sale') cartStore.set((current) => repriceCart(current, (id) => catalog.get(id)));
  }, [catalogVersion, screen.kind]);

  // The connection: browser events, and a poll that sends the queue, pulls catalog changes and the pricing context.
  useEffect(() => {
    if (phase !== 'till' || device === undefined) return;
    return startSync(device, {
      onContext: (context) =>
        setCtx((current) => (JSON.stringify(current) === JSON.stringify(context) ? current : context)),
      onCatalogChanged: catalogChanged,
    });
  }, [phase, device, catalogChanged]);

  async function complete(tenders: Tender[]) {
    if (ctx === undefined) return;
    lastTenders.current = tenders;
    setTenderError(undefined);
    const result = await payCart(tenders, ctx, () => setBusy(true)).finally(() => setBusy(false));
    if (result.kind === 'failed') {
      setTenderError(result.error);
      setScreen({ kind: 'tender' });
      return;
    }
    setScreen({ kind: 'receipt', ...result.shown });
  }

  async function cancel(reason: string) {
    if (ctx === undefined) return;
    const giveBack = giveBackSentences(cart.taken, ctx.currency);
    await cancelSale(reason);
    setTenderError(undefined);
    setScreen({ kind: 'sale', notice: ['Sale cancelled.', ...giveBack].join(' ') });
  }

  function startNewSale() {
    void leaveReceipt();
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
        onReset={() => {
          // A fresh start: nothing of the old set-up (catalog index, cart, queue counts) stays in memory, and no
          // save of the old cart lands after the reset's clear.
          cartStore.discard();
          location.reload();
        }}
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
  return (
    <div className="till">
      <StatusBar
        register={`${ctx.location_name} · ${ctx.register_name}`}
        cashier={cashier.display_name}
        items={catalog.size}
        onSignOut={() => {
          void parkForNextCashier(cashier.display_name).finally(() => {
            signOut();
            setScreen({ kind: 'sale' });
            setPhase('signin');
          });
        }}
        onOpenConflicts={() => setScreen({ kind: 'conflicts' })}
      />
      {screen.kind === 'conflicts' && <ConflictScreen ctx={ctx} onClose={() => setScreen({ kind: 'sale' })} />}
      {screen.kind === 'sale' && (
        <SaleScreen
          ctx={ctx}
          cart={cart}
          setCart={cartStore.set}
          roles={cashier.roles}
          catalogVersion={catalogVersion}
          onPay={() => setScreen({ kind: 'tender' })}
          cashierName={cashier.display_name}
          initialNotice={screen.notice}
        />
      )}
      {screen.kind === 'tender' && (
        <TenderScreen
          key={`${cart.id}.${String(cart.attempt ?? 0)}`}
          ctx={ctx}
          cart={cart}
          busy={busy}
          error={tenderError}
          onBack={() => setScreen({ kind: 'sale' })}
          onComplete={(tenders) => void complete(tenders)}
          onResend={() => void complete(lastTenders.current)}
          onCancelSale={cancel}
          setCart={cartStore.set}
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
