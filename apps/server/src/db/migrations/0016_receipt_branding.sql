-- Tenant branding on receipts (C3, docs/receipts.md "Branding"): each store's address, printed under its name, and
-- each tenant's own footer, printed instead of the built-in "Thank you for your purchase!".
--
-- Both are arrays of lines as the service stores them: each line trimmed, blank lines dropped, at most 4 lines of
-- 1 to 42 characters (the narrowest receipt, so a line never wraps) without control characters. The check below is
-- the last guard: the API refuses bad input with a 400 naming the field before it gets here. An empty array is no
-- address, and the default footer.

CREATE FUNCTION receipt_lines_valid(lines text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT cardinality(lines) <= 4
       AND NOT EXISTS (
         SELECT 1 FROM unnest(lines) AS l(line)
          WHERE line IS NULL OR char_length(line) NOT BETWEEN 1 AND 42 OR line <> btrim(line)
             OR line ~ '[\x01-\x1f\x7f-\x9f]'
       )
  $$;

ALTER TABLE locations ADD COLUMN address_lines text[] NOT NULL DEFAULT '{}'
  CONSTRAINT locations_address_lines_valid CHECK (receipt_lines_valid(address_lines));
ALTER TABLE tenants ADD COLUMN receipt_footer_lines text[] NOT NULL DEFAULT '{}'
  CONSTRAINT tenants_receipt_footer_lines_valid CHECK (receipt_lines_valid(receipt_footer_lines));
