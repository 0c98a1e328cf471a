import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { layoutReceiptText, type ReceiptData, type ReceiptWidth } from '@novapos/domain';

/**
 * Lines fed before the cut: the cutter sits a few lines above the print head, so without them the last lines
 * (the footer) would be cut through.
 */
const FEED_BEFORE_CUT = 4;

/**
 * The receipt as ESC/POS bytes for an 80 mm thermal printer: initialise (ESC @), the same lines as the text
 * receipt (TOTAL, the business name and banners in bold), feed, cut (GS V). Width 42 is Font A on a 512-dot head,
 * 48 is Font A on a 576-dot head; the encoder picks the code page per character ("auto"), so accented names print
 * and a character no code page has prints as "?". Names were cleaned of control characters by the layout, so a
 * product name can never smuggle printer commands in.
 */
export function encodeReceiptEscPos(data: ReceiptData, width: ReceiptWidth): Uint8Array {
  const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: width, feedBeforeCut: FEED_BEFORE_CUT });
  encoder.initialize().codepage('auto');
  for (const line of layoutReceiptText(data, { width })) {
    if (line.strong) encoder.bold(true).line(line.text).bold(false);
    else encoder.line(line.text);
  }
  return encoder.cut().encode();
}
