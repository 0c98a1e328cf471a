import { createHmac } from 'node:crypto';

/** A PIN is 4 to 8 digits. */
export const PIN_PATTERN = '^[0-9]{4,8}$';

/**
 * The lookup value of a PIN: HMAC-SHA256 keyed by the server's pepper over `tenant:pin`. A PIN login names only
 * the register and the PIN, so the PIN itself must find the cashier; the pepper keeps a stolen table from
 * revealing PINs by brute force.
 */
export function pinLookup(pepper: string, tenantId: string, pin: string): string {
  return createHmac('sha256', pepper).update(`${tenantId}:${pin}`).digest('hex');
}
