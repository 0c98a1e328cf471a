import { TENANT_ROLES } from '@novapos/domain';
import { Type, type Static } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems, Uuid } from '../../platform/http/schemas.ts';
import { loadReceiptData, renderReceipt } from './receipts.service.ts';

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ReceiptQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('text'), Type.Literal('escpos'), Type.Literal('html')], {
        default: 'text',
        description: 'text (default), escpos (bytes for 80 mm ESC/POS printers) or html (for e-mail)',
      }),
    ),
    width: Type.Optional(
      Type.Union([Type.Literal(42), Type.Literal(48)], {
        default: 42,
        description: 'Columns of the text and ESC/POS receipt: 42 (default) or 48',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReceiptQueryInput = Static<typeof ReceiptQuery>;

/** The receipt in the three formats; the handler sends the text or bytes itself (no JSON serialization). */
const ReceiptResponse = {
  description: 'The receipt, in the format asked for',
  content: {
    'text/plain': { schema: Type.String({ description: 'format=text: the receipt as the till prints it' }) },
    'text/html': { schema: Type.String({ description: 'format=html: the receipt as e-mailed (no scripts)' }) },
    'application/octet-stream': {
      schema: Type.Unsafe<Buffer>({
        type: 'string',
        format: 'binary',
        description: 'format=escpos: bytes for an 80 mm ESC/POS printer (sent as an attachment)',
      }),
    },
  },
};

/** GET /v1/orders/:id/receipt: an order's receipt as plain text, ESC/POS bytes or HTML. */
export function receiptsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/orders/:id/receipt',
    {
      config: { access: TENANT_ROLES },
      schema: {
        tags: ['orders'],
        operationId: 'getReceipt',
        summary: 'The receipt of an order: plain text, ESC/POS bytes (?format=escpos) or HTML (?format=html)',
        params: IdParams,
        querystring: ReceiptQuery,
        produces: ['text/plain', 'application/octet-stream', 'text/html'],
        response: { 200: ReceiptResponse, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { format = 'text', width = 42 } = request.query;
      const data = await loadReceiptData(deps.db, request.ctx, request.params.id);
      const receipt = renderReceipt(data, format, width);
      if (format === 'html') {
        // Defence in depth behind the escaping: the page may not run scripts or load anything.
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      }
      if (format === 'escpos') {
        reply.header('content-disposition', `attachment; filename="receipt-${request.params.id}.bin"`);
      }
      return reply.header('x-content-type-options', 'nosniff').type(receipt.contentType).send(receipt.body);
    },
  );
}
