import { fieldError, Field } from '../../app/ui.tsx';
import { TAX_CODE_NAMES, TAX_CODES, type TaxCode, type VariantDraft } from './variant-draft.ts';

/**
 * The fields of one variant. `errorPrefix` is how the server names this variant's fields in a validation problem
 * (`variants[1].` when creating a product, nothing when editing one variant), so its messages land on the field.
 */
export function VariantFields(props: {
  draft: VariantDraft;
  onChange: (draft: VariantDraft) => void;
  currency: string;
  error: unknown;
  errorPrefix: string;
  priceError?: string | undefined;
  disabled: boolean;
}) {
  const { draft, errorPrefix: p, error } = props;
  const set = (patch: Partial<VariantDraft>) => props.onChange({ ...draft, ...patch });
  const barcodeError = fieldError(error, `${p}barcodes`);
  return (
    <div className="form-grid">
      <Field label="SKU" error={fieldError(error, `${p}sku`)}>
        <input
          value={draft.sku}
          onChange={(e) => set({ sku: e.target.value })}
          required
          maxLength={64}
          disabled={props.disabled}
          aria-invalid={fieldError(error, `${p}sku`) !== undefined}
          name="sku"
        />
      </Field>
      <Field label="Variant name" hint="Optional: Large, Red…" error={fieldError(error, `${p}name`)}>
        <input
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          maxLength={200}
          disabled={props.disabled}
          name="variant_name"
        />
      </Field>
      <Field label={`Price (${props.currency})`} error={props.priceError ?? fieldError(error, `${p}price_cents`)}>
        <input
          value={draft.price}
          onChange={(e) => set({ price: e.target.value })}
          inputMode="decimal"
          placeholder="0.00"
          required
          disabled={props.disabled}
          aria-invalid={props.priceError !== undefined}
          name="price"
        />
      </Field>
      <Field label="Tax" error={fieldError(error, `${p}tax_code`)}>
        <select
          value={draft.tax_code}
          onChange={(e) => set({ tax_code: e.target.value as TaxCode })}
          disabled={props.disabled}
          name="tax_code"
        >
          {TAX_CODES.map((c) => (
            <option key={c} value={c}>
              {TAX_CODE_NAMES[c]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Barcodes" hint="Scan or type; separate several with spaces" error={barcodeError}>
        <input
          value={draft.barcodes}
          onChange={(e) => set({ barcodes: e.target.value })}
          disabled={props.disabled}
          name="barcodes"
          // A scanner ends with Enter: keep the form from submitting so several codes can be scanned in a row.
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              set({ barcodes: `${draft.barcodes.trimEnd()} ` });
            }
          }}
        />
      </Field>
    </div>
  );
}
