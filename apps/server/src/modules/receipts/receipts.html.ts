import { cleanReceiptText, receiptRows, type ReceiptData, type ReceiptRow } from '@novapos/domain';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content or a quoted attribute: the five special characters escaped, control characters gone. */
export function escapeHtml(text: string): string {
  return cleanReceiptText(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

// Inline styles only: many mail clients drop <style> blocks and every external resource.
const PAGE = 'margin:0;padding:16px 0;background:#f2f2f2;';
const CARD =
  'width:100%;max-width:400px;margin:0 auto;background:#ffffff;border-collapse:collapse;' +
  "font-family:'Courier New',Courier,monospace;font-size:14px;line-height:1.4;color:#111111;";
const CELL = 'padding:1px 16px;overflow-wrap:anywhere;word-break:break-word;vertical-align:top;';
/** About one character of 14 px Courier, for the indents the text receipt makes with spaces. */
const CHAR_PX = 8;

function bold(strong: boolean | undefined): string {
  return strong === true ? 'font-weight:bold;' : '';
}

function rowHtml(row: ReceiptRow): string {
  switch (row.kind) {
    case 'center':
      return `<tr><td colspan="2" style="${CELL}text-align:center;${bold(row.strong)}">${escapeHtml(row.text)}</td></tr>`;
    case 'pair': {
      // A hanging indent: the first line starts at the edge, wrapped lines under the name, as on paper.
      const hang = (row.indent ?? 0) * CHAR_PX;
      const offset = (row.offset ?? 0) * CHAR_PX;
      const left = `padding-left:${16 + offset + hang}px;text-indent:-${hang}px;`;
      return (
        `<tr style="${bold(row.strong)}"><td style="${CELL}${left}padding-right:0;">${escapeHtml(row.left)}</td>` +
        `<td style="${CELL}text-align:right;white-space:nowrap;">${escapeHtml(row.right)}</td></tr>`
      );
    }
    case 'text': {
      const indent = (row.indent ?? 0) * CHAR_PX;
      const hang = (row.hang ?? 0) * CHAR_PX;
      const style = `${CELL}padding-left:${16 + indent + hang}px;text-indent:-${hang}px;`;
      return `<tr><td colspan="2" style="${style}">${escapeHtml(row.text)}</td></tr>`;
    }
    case 'rule':
      return '<tr><td colspan="2" style="padding:4px 16px;"><div style="border-top:1px dashed #888888;"></div></td></tr>';
    case 'blank':
      return '<tr><td colspan="2" style="height:12px;"></td></tr>';
  }
}

/**
 * The receipt as a self-contained HTML page for e-mail: the same rows as the text receipt in a single table,
 * inline styles, no scripts, images or external resources. Every name is escaped.
 */
export function renderReceiptHtml(data: ReceiptData): string {
  const title = `${data.order_number === null ? 'Order' : `Receipt #${data.order_number}`} – ${data.business_name}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    `<body style="${PAGE}">`,
    `<table role="presentation" cellpadding="0" cellspacing="0" style="${CARD}">`,
    '<tr><td colspan="2" style="height:12px;"></td></tr>',
    ...receiptRows(data).map(rowHtml),
    '<tr><td colspan="2" style="height:12px;"></td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
