-- The feed's date for the item that linked a page, so a backfill window can select pages by
-- publication date as well as by fetch date.
ALTER TABLE raw.fetch_log ADD COLUMN item_published_at TIMESTAMPTZ;
