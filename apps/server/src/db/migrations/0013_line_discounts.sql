-- Line discounts (issue 6: "line and order discounts within the limits of the cashier's role").
--
-- A line may carry its own discount in basis points, taken before the order discount (docs/orders.md
-- "Discounts"). The line keeps what it was sold with, like its price: the percentage and the amount it gave.
-- `line_discount_cents` stays all the discount on the line (its own plus its share of the order discount), so the
-- lines' discounts still add up to the order's `discount_cents`, which now counts both.
ALTER TABLE order_lines
  ADD COLUMN discount_bp integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
  ADD COLUMN item_discount_cents bigint NOT NULL DEFAULT 0 CHECK (item_discount_cents >= 0);
