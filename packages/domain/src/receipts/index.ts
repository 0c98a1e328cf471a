export * from './receipt-data.ts';
export * from './receipt.ts';
export * from './receipt-order.ts';
export { receiptRows, formatBasisPoints, tenderLabel } from './receipt-rows.ts';
export { formatReceiptDateTime, isKnownTimeZone } from './receipt-date.ts';
export { cleanText as cleanReceiptText } from './text-layout.ts';
export * from './receipt-branding.ts';
