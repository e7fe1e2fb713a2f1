-- The entity model that read each article's body ('en_core_web_sm-3.8.0',
-- 'fr_core_news_sm-3.8.0'); NULL when no model ran because the article's language has none
-- installed (marts.data_quality counts those articles as entities_skipped_language).
-- Articles loaded before this version were all read by the English model, whose name was not
-- recorded: they say 'unrecorded' until they are fetched again.
ALTER TABLE core.fact_article ADD COLUMN entities_model VARCHAR;
UPDATE core.fact_article SET entities_model = 'unrecorded';
