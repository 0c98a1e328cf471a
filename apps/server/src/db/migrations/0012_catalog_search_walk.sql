-- Product search that stays fast at a million products (issue 5, the catalog benchmark; docs/catalog.md "Search").
--
-- 0004's function found EVERY match of the three branches (name similar, name contains, SKU prefix), then sorted
-- them by id to cut one page. At 1,000,000 products that is seconds: a common word matches 20,000 names, each read
-- from the heap and rechecked, and pg_trgm's `%` is worse still, because its index only narrows the candidates to
-- names sharing 30 % of the query's trigrams (a brand name gave 93,000 candidates for 221 matches) and each
-- candidate costs a similarity computation. Measured with EXPLAIN (ANALYZE, BUFFERS) on the benchmark's catalog.
--
-- The page is the first `p_limit` matches in id order after the cursor, so this version looks for exactly that:
--   1. Walk: the next 4,000 products in id order (the (tenant_id, id) index), tested with the cheap matches only:
--      name contains (LIKE) and, for their variants (read by product_id range), SKU prefix. A term matching more
--      than ~1.3 % of the catalog fills its page here, without touching the trigram index.
--   2. Index: otherwise matches are rare beyond the walk, and the indexes find them: the name trigram index for
--      "contains", a new btree (tenant_id, lower(sku) text_pattern_ops) range for the SKU prefix.
--   3. Similar names (pg_trgm `%`) only when the term contains-matches or prefix-matches nothing in the tenant:
--      typo tolerance for "expresso beans", instead of paying for a fuzzy pass on every search.
-- Same signature and grants as 0004; the caller (products.repo.ts) is unchanged.

CREATE INDEX product_variants_sku_prefix ON product_variants (tenant_id, lower(sku) text_pattern_ops);
-- The number of distinct trigrams of a name bounds its similarity to any query: similarity(q, name) >= t needs
-- trigrams(name) <= trigrams(q) / t. A short misspelled word ("cofee", 6 trigrams) can only be similar to names of
-- at most 20 trigrams, which this index finds without the trigram index's thousands of candidates.
CREATE INDEX products_name_trigram_count ON products (tenant_id, cardinality(show_trgm(lower(name))));

CREATE OR REPLACE FUNCTION catalog_search_product_ids(
  p_text             text,
  p_contains         text,
  p_sku_prefix       text,
  p_include_archived boolean,
  p_category_id      uuid,
  p_after            uuid,
  p_limit            integer
) RETURNS TABLE (id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  -- Custom plans: each statement is planned with the term, the cursor and the walk's bound known, so the planner
  -- weighs the term's frequency (the trigram index's statistics) and the range (4,000 ids) as they are.
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan
  AS $$
DECLARE
  tenant  constant uuid := app_current_tenant();
  walk    constant integer := 4000;
  -- SKU prefix as a btree range in byte order (text_pattern_ops); the LIKE beside it keeps the match exact.
  sku_hi  constant text := p_text || chr(1114111);
  lo      constant uuid := coalesce(p_after, '00000000-0000-0000-0000-000000000000');
  highest constant uuid := 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  hi      uuid;
  found   uuid[];
  -- pg_trgm's similarity threshold (what `%` uses): 0.3 unless changed, and unset until pg_trgm is loaded.
  threshold constant real := coalesce(nullif(current_setting('pg_trgm.similarity_threshold', true), '')::real, 0.3);
  bound       integer;
  short_names integer;
BEGIN
  IF tenant IS NULL OR p_limit < 1 THEN
    RETURN;
  END IF;

  -- 1. Walk the next `walk` products in id order. hi: the last of them (an index-only scan), NULL when fewer remain.
  SELECT w.id INTO hi FROM products w
   WHERE w.tenant_id = tenant AND w.id > lo ORDER BY w.id OFFSET walk - 1 LIMIT 1;
  -- Their names that contain the term. The inner LIMIT keeps this an ordered walk of the (tenant_id, id) index:
  -- left to itself, the planner might prefer the trigram index for a rare term, whose lists it cannot cost well.
  found := ARRAY(
    SELECT w.id FROM (
      SELECT p.id, p.name, p.archived_at, p.category_id FROM products p
       WHERE p.tenant_id = tenant AND p.id > lo ORDER BY p.id LIMIT walk) w
     WHERE lower(w.name) LIKE p_contains AND (p_include_archived OR w.archived_at IS NULL)
       AND (p_category_id IS NULL OR w.category_id = p_category_id)
     ORDER BY w.id LIMIT p_limit);
  -- …and the walked products' variants whose SKU starts with the term.
  found := ARRAY(
    SELECT DISTINCT u.id FROM unnest(found || ARRAY(
      SELECT v.product_id FROM product_variants v JOIN products p ON p.id = v.product_id
       WHERE v.tenant_id = tenant AND v.product_id > lo AND v.product_id <= coalesce(hi, highest)
         AND lower(v.sku) ~>=~ p_text AND lower(v.sku) ~<~ sku_hi AND lower(v.sku) LIKE p_sku_prefix
         AND (p_include_archived OR (v.archived_at IS NULL AND p.archived_at IS NULL))
         AND (p_category_id IS NULL OR p.category_id = p_category_id))) AS u(id)
     ORDER BY u.id LIMIT p_limit);

  -- 2. Not a full page and products remain beyond the walk: there the term is rare (under ~1.3 % of the walked
  --    products matched), so the indexes find the rest of the page.
  IF cardinality(found) < p_limit AND hi IS NOT NULL THEN
    found := found || ARRAY(
      SELECT m.id FROM (
        SELECT p.id FROM products p
         WHERE p.tenant_id = tenant AND lower(p.name) LIKE p_contains AND p.id > hi
           AND (p_include_archived OR p.archived_at IS NULL)
           AND (p_category_id IS NULL OR p.category_id = p_category_id)
        UNION
        SELECT v.product_id FROM product_variants v JOIN products p ON p.id = v.product_id
         WHERE v.tenant_id = tenant AND lower(v.sku) ~>=~ p_text AND lower(v.sku) ~<~ sku_hi
           AND lower(v.sku) LIKE p_sku_prefix AND v.product_id > hi
           AND (p_include_archived OR (v.archived_at IS NULL AND p.archived_at IS NULL))
           AND (p_category_id IS NULL OR p.category_id = p_category_id)
      ) m ORDER BY m.id LIMIT p_limit - cardinality(found));
  END IF;

  IF cardinality(found) > 0 THEN
    RETURN QUERY SELECT unnest(found);
    RETURN;
  END IF;

  -- 3. Nothing after the cursor contains the term or starts with it. If something before it does, earlier pages
  --    showed those and this is their end; if nothing does at all, the term is likely misspelled: similar names.
  IF p_after IS NOT NULL AND EXISTS (
       SELECT 1 FROM products p
        WHERE p.tenant_id = tenant AND lower(p.name) LIKE p_contains AND p.id <= p_after
          AND (p_include_archived OR p.archived_at IS NULL)
          AND (p_category_id IS NULL OR p.category_id = p_category_id)
       UNION ALL
       SELECT 1 FROM product_variants v JOIN products p ON p.id = v.product_id
        WHERE v.tenant_id = tenant AND lower(v.sku) ~>=~ p_text AND lower(v.sku) ~<~ sku_hi
          AND lower(v.sku) LIKE p_sku_prefix AND v.product_id <= p_after
          AND (p_include_archived OR (v.archived_at IS NULL AND p.archived_at IS NULL))
          AND (p_category_id IS NULL OR p.category_id = p_category_id)) THEN
    RETURN;
  END IF;
  -- similarity(q, name) >= t needs trigrams(name) <= trigrams(q) / t (rounded up here: the bound only narrows,
  -- similarity decides). When few names are that short (a short misspelled word), read those through the
  -- trigram-count index and compute their similarity; the trigram index would first collect every name sharing
  -- 30 % of the query's trigrams (70,000 for "cofee" at 1M products). Otherwise (a long query), that index.
  bound := ceil(cardinality(show_trgm(p_text)) / threshold);
  SELECT count(*) INTO short_names FROM (
    SELECT 1 FROM products p
     WHERE p.tenant_id = tenant AND cardinality(show_trgm(lower(p.name))) <= bound LIMIT 5000) s;
  IF short_names < 5000 THEN
    RETURN QUERY
      SELECT p.id FROM products p
       WHERE p.tenant_id = tenant AND cardinality(show_trgm(lower(p.name))) <= bound
         AND similarity(lower(p.name), p_text) >= threshold AND p.id > lo
         AND (p_include_archived OR p.archived_at IS NULL)
         AND (p_category_id IS NULL OR p.category_id = p_category_id)
       ORDER BY p.id LIMIT p_limit;
  ELSE
    RETURN QUERY
      SELECT p.id FROM products p
       WHERE p.tenant_id = tenant AND lower(p.name) % p_text AND p.id > lo
         AND (p_include_archived OR p.archived_at IS NULL)
         AND (p_category_id IS NULL OR p.category_id = p_category_id)
       ORDER BY p.id LIMIT p_limit;
  END IF;
END
$$;
