-- Who wrote the article (a byline taken out of the body, or the page's JSON-LD / meta author)
-- and whether the page marks itself paywalled (JSON-LD isAccessibleForFree). Rows loaded
-- before this migration keep NULL in both: nobody looked; a raw backfill reads them again.
-- Ingest writes a list (empty when no author is named) and NULL is_free when the page says
-- nothing.
ALTER TABLE core.fact_article ADD COLUMN authors VARCHAR[];
ALTER TABLE core.fact_article ADD COLUMN is_free BOOLEAN;
