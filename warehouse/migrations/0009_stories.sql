-- Stories: near-duplicates, updates under a new URL and syndicated copies of one article share a
-- story (transforms/stories.py decides; warehouse/stories.py keeps this state).
--
-- fact_article.story_id: the story the article belongs to. A story's id is the article_id of
-- the article that started it, so `JOIN core.fact_article f ON f.article_id = s.story_id`
-- gives that first article. The loaders set it for every article they insert and never change
-- it afterwards; articles loaded before this version start as stories of their own, until
-- `newswire models --rebuild-stories` clusters them (it needs their signatures, which only a
-- rebuild can compute for them).
ALTER TABLE core.fact_article ADD COLUMN story_id VARCHAR;
UPDATE core.fact_article SET story_id = article_id;

-- One row per story, kept by the loaders in the transaction that changes its articles.
CREATE TABLE core.dim_story (
    story_id            VARCHAR PRIMARY KEY,
    first_seen_at       TIMESTAMPTZ NOT NULL,
    first_published_at  TIMESTAMPTZ,
    headline            VARCHAR,     -- the title of its earliest article (see warehouse/stories.py)
    articles            INTEGER NOT NULL
);
INSERT INTO core.dim_story
SELECT story_id, min(first_seen_at), min(published_at),
       arg_min(title, (coalesce(published_at, first_seen_at), article_id)), count(*)
FROM core.fact_article
GROUP BY story_id;

-- extension: how each article was placed in its story, and what matching a new article needs
-- of the old ones, so that no old body is read again. `scheme` names the shingling and MinHash
-- parameters: a signature of another scheme is not compared, and a rebuild computes it again.
CREATE TABLE core.story_match (
    article_id          VARCHAR PRIMARY KEY,
    story_time          TIMESTAMPTZ NOT NULL,  -- published_at, else first_seen_at
    match_kind          VARCHAR NOT NULL
        CHECK (match_kind IN ('first', 'body', 'lead', 'title', 'before_stories')),
    matched_article_id  VARCHAR,               -- the article it matched; NULL for 'first'
    match_score         DOUBLE,                -- estimated share of the smaller text in the larger
    scheme              VARCHAR NOT NULL,
    body_minhash        BLOB NOT NULL,         -- MinHash of the body's word shingles (uint32)
    lead_minhash        BLOB NOT NULL,         -- MinHash of the first words' shingles
    shingles            INTEGER NOT NULL,      -- distinct shingles of the body
    title_key           VARCHAR                -- the normalised title; NULL when too short
);
