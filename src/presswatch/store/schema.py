"""Versioned schema migrations.

`PRAGMA user_version` records how many migrations a file has had; opening an older file applies the
missing ones in order, each in its own transaction, so a crash leaves the file at a known version.
"""

MIGRATIONS: list[str] = [
    # 1: pages, articles, duplicate links, rejections, full-text index over articles.
    """
    CREATE TABLE pages (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        url TEXT,
        encoding TEXT,
        ingested_at TEXT NOT NULL,
        content TEXT NOT NULL,
        article_id TEXT  -- the article this page yields; another page's when its body is an exact duplicate
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        page_id TEXT NOT NULL REFERENCES pages(id),
        url TEXT,
        title TEXT,
        body TEXT NOT NULL,
        paragraphs TEXT NOT NULL,  -- JSON list
        outlet TEXT,
        published TEXT,
        author TEXT,
        credited_source TEXT,
        language TEXT,
        language_flag TEXT,
        body_hash TEXT NOT NULL,
        minhash BLOB
    );
    CREATE INDEX articles_body_hash ON articles(body_hash);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE TABLE article_links (
        article_id TEXT NOT NULL REFERENCES articles(id),
        other_id TEXT NOT NULL REFERENCES articles(id),
        kind TEXT NOT NULL,  -- 'near_duplicate'
        similarity REAL,
        PRIMARY KEY (article_id, other_id, kind)
    );
    CREATE TABLE rejections (
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END;
    """,
    # 2: statements (who said what), with a full-text index over what was said.
    """
    CREATE TABLE statements (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        speaker TEXT,
        speaker_name TEXT,
        speaker_role TEXT,
        speaker_kind TEXT NOT NULL,
        cue TEXT NOT NULL,
        content TEXT NOT NULL,
        mode TEXT NOT NULL,
        cue_start INTEGER NOT NULL,
        cue_end INTEGER NOT NULL,
        speaker_start INTEGER,
        speaker_end INTEGER,
        content_spans TEXT NOT NULL,  -- JSON list of [start, end]
        venue TEXT,
        addressee TEXT,
        date TEXT,  -- the date the text gives, else the article's publication date
        confidence REAL NOT NULL
    );
    CREATE INDEX statements_article ON statements(article_id);
    CREATE INDEX statements_speaker ON statements(speaker_name COLLATE NOCASE);
    CREATE INDEX statements_date ON statements(date);
    CREATE VIRTUAL TABLE statements_fts USING fts5(
        content, content='statements', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, content) VALUES (new.rowid, new.content);
    END;
    CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
    END;
    """,
    # 3: stories (articles about one event) and narratives (claims that recur, with their evidence).
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        outlets TEXT NOT NULL,  -- JSON list, most articles first
        key_entities TEXT NOT NULL  -- JSON list
    );
    CREATE INDEX stories_last_seen ON stories(last_seen);
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),  -- an article is in one story
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        position INTEGER NOT NULL  -- publication order within the story
    );
    CREATE INDEX story_articles_story ON story_articles(story_id, position);
    CREATE TABLE narratives (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE TABLE narrative_evidence (
        statement_id TEXT PRIMARY KEY,  -- a statement carries one narrative
        narrative_id TEXT NOT NULL REFERENCES narratives(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id),
        speaker TEXT,
        outlet TEXT,
        date TEXT,
        quote TEXT NOT NULL,
        position INTEGER NOT NULL  -- timeline order within the narrative
    );
    CREATE INDEX narrative_evidence_narrative ON narrative_evidence(narrative_id, position);
    """,
    # 4: entities — name nodes, mentions, roles, entities, aliases, merge reasons, user decisions.
    """
    CREATE TABLE entity_names (  -- a name as written, and what it stood for in its article
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        own_key TEXT NOT NULL,
        link_key TEXT NOT NULL,
        name TEXT NOT NULL,
        link_name TEXT NOT NULL,
        mentions INTEGER NOT NULL DEFAULT 0,
        entity_id TEXT,
        UNIQUE (type, own_key, link_key)
    );
    CREATE INDEX entity_names_entity ON entity_names(entity_id);
    CREATE INDEX entity_names_own ON entity_names(own_key);
    CREATE TABLE entity_mentions (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL,
        refers_to TEXT NOT NULL,
        link_reason TEXT,
        role TEXT,
        name_id INTEGER NOT NULL REFERENCES entity_names(id),
        PRIMARY KEY (article_id, start)
    );
    CREATE INDEX entity_mentions_name ON entity_mentions(name_id, article_id);
    CREATE TABLE entity_roles (
        name_id INTEGER NOT NULL REFERENCES entity_names(id),
        role TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        date TEXT,
        PRIMARY KEY (name_id, role, article_id)
    );
    CREATE TABLE entity_articles (  -- articles whose mentions are stored (some have none)
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        mentions INTEGER NOT NULL,
        done_at TEXT NOT NULL
    );
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE INDEX entities_type ON entities(type, mentions);
    CREATE TABLE entity_aliases (
        entity_id TEXT NOT NULL REFERENCES entities(id),
        alias TEXT NOT NULL,
        key TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (entity_id, alias)
    );
    CREATE INDEX entity_aliases_key ON entity_aliases(key);
    CREATE TABLE entity_merges (  -- why names were joined: one row per join that built an entity
        entity_id TEXT NOT NULL,
        name_a TEXT NOT NULL,
        name_b TEXT NOT NULL,
        reason TEXT NOT NULL,
        decided_by TEXT NOT NULL  -- 'rule' | 'user'
    );
    CREATE INDEX entity_merges_entity ON entity_merges(entity_id);
    CREATE TABLE entity_decisions (  -- the user's merges and splits, replayed on every rebuild
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL,  -- 'merge' | 'split'
        name TEXT NOT NULL,
        other TEXT,
        at TEXT NOT NULL
    );
""",
    # 5: sentence vectors for search by meaning (store/vectors.py), dropped with what they encode.
    """
    CREATE TABLE vectors (
        kind TEXT NOT NULL,  -- 'article' | 'statement'
        item_id TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,  -- float32, unit length
        PRIMARY KEY (kind, item_id)
    );
    CREATE TRIGGER vectors_article_gone AFTER DELETE ON articles BEGIN
        DELETE FROM vectors WHERE kind = 'article' AND item_id = old.id;
    END;
    CREATE TRIGGER vectors_statement_gone AFTER DELETE ON statements BEGIN
        DELETE FROM vectors WHERE kind = 'statement' AND item_id = old.id;
    END;
    """,
    # 6: for search (store/search.py): covering indexes for the article filters, since outlet, date and
    # language sit after the body in a row and reading them walks the body's overflow pages (100k
    # articles: 250 ms a filter without, under 1-50 ms with); and a counter of changes to the
    # vectors, so a process can tell in O(1) that its cached copy is stale.
    """
    CREATE INDEX articles_by_outlet ON articles(outlet COLLATE NOCASE, published, language, id);
    CREATE INDEX articles_by_date ON articles(published, language, outlet COLLATE NOCASE, id);
    CREATE TABLE vector_changes (changes INTEGER NOT NULL);
    INSERT INTO vector_changes VALUES (0);
    CREATE TRIGGER vectors_added AFTER INSERT ON vectors BEGIN
        UPDATE vector_changes SET changes = changes + 1;
    END;
    CREATE TRIGGER vectors_removed AFTER DELETE ON vectors BEGIN
        UPDATE vector_changes SET changes = changes + 1;
    END;
    """,
    # 7: the engine's bookkeeping. Analysis progress is its own record, written in the same
    # transaction as an article's statements and mentions (it was a side table of entities);
    # `stale_outputs` names the corpus-wide outputs whose inputs changed since they were last
    # written, so a run interrupted between the two is completed by the next one; fingerprint
    # bands index the MinHash signatures, so near-duplicate candidates come from an index lookup
    # instead of loading every signature.
    """
    CREATE TABLE analysis_progress (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        analysed_at TEXT NOT NULL,
        statements INTEGER NOT NULL,
        mentions INTEGER NOT NULL,
        skipped TEXT  -- why the article was not parsed (a language the models do not read)
    );
    INSERT INTO analysis_progress (article_id, analysed_at, statements, mentions)
        SELECT e.article_id, e.done_at, (SELECT count(*) FROM statements s WHERE s.article_id = e.article_id), e.mentions
        FROM entity_articles e;
    DROP TABLE entity_articles;
    CREATE TABLE stale_outputs (output TEXT PRIMARY KEY);  -- 'entities', 'fingerprint_bands'
    INSERT INTO stale_outputs VALUES ('entities');
    INSERT INTO stale_outputs SELECT 'fingerprint_bands' WHERE EXISTS (SELECT 1 FROM articles);
    CREATE TABLE touched_names (name_id INTEGER PRIMARY KEY);  -- name nodes with mentions since the last resolution
    CREATE TABLE fingerprint_bands (
        band INTEGER NOT NULL,  -- one LSH band of an article's MinHash signature, hashed
        article_id TEXT NOT NULL REFERENCES articles(id),
        PRIMARY KEY (band, article_id)
    ) WITHOUT ROWID;
    """,
    # 8: narratives kept incrementally (engine/narratives.py). Every statement's claim is clustered
    # once: its weighted terms and dense vector as when it was clustered, and the cluster it is in
    # (one-off claims too, so a repetition a year later finds them through the postings). Cluster
    # sums keep their heaviest terms; postings index them (channel, term -> clusters), so a new
    # claim's candidates come from an index, not from re-reading every statement; claim_terms
    # holds the statements' document frequencies, and the stories' too (they were sampled from the
    # 5,000 newest articles on every run). Narratives and stories stored before are dropped: the
    # next analysis builds them again, with these frequencies.
    """
    CREATE TABLE claim_members (
        statement_id TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL,
        vector TEXT NOT NULL,  -- JSON {channel: {term: weight}}
        dense BLOB  -- float32, unit length
    );
    CREATE INDEX claim_members_cluster ON claim_members(cluster_id);
    CREATE TABLE claim_clusters (
        id TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        sums TEXT NOT NULL,  -- JSON {channel: {term: summed weight}}
        dense BLOB  -- float32 sum of the members' dense vectors
    );
    CREATE TABLE claim_postings (
        channel TEXT NOT NULL,
        term TEXT NOT NULL,
        cluster_id TEXT NOT NULL,
        weight REAL NOT NULL,  -- the term's summed weight in the cluster
        PRIMARY KEY (channel, term, cluster_id)
    ) WITHOUT ROWID;
    CREATE INDEX claim_postings_cluster ON claim_postings(cluster_id);
    CREATE TABLE term_documents (  -- document frequencies of what was clustered: 'claims' and 'stories'
        kind TEXT NOT NULL,
        channel TEXT NOT NULL,
        term TEXT NOT NULL,
        documents INTEGER NOT NULL,
        PRIMARY KEY (kind, channel, term)
    ) WITHOUT ROWID;
    CREATE TABLE kind_documents (kind TEXT PRIMARY KEY, documents INTEGER NOT NULL);
    INSERT INTO kind_documents VALUES ('claims', 0), ('stories', 0);
    DELETE FROM narrative_evidence;
    DELETE FROM narratives;
    DELETE FROM story_articles;
    DELETE FROM stories;
    """,
    # 9: one rejection per source (the latest reason): re-running a batch used to append every
    # rejection again. Existing repeats are reduced to their latest row.
    """
    DELETE FROM rejections WHERE rowid NOT IN (SELECT max(rowid) FROM rejections GROUP BY source);
    CREATE UNIQUE INDEX rejections_source ON rejections(source);
    """,
    # 10: arrivals and watchlists. An item's arrival is when it was first stored (a global sequence
    # number and a time), so "new for a watch" means newly stored, not newly published: an old
    # article ingested today is news to the reader. Triggers record it, so every path that stores
    # articles or statements (ingest, the cluster, `load`, re-analysis) records it the same way;
    # re-storing an item (analysis run again) keeps its first arrival. Items stored before get their
    # page's ingest time (articles) or their analysis time (statements), in storage order. A watch
    # is a saved search: its last-seen mark and its webhook's delivered mark are arrival numbers.
    """
    CREATE TABLE arrivals (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,  -- 'article' | 'statement'
        item_id TEXT NOT NULL,
        arrived_at TEXT NOT NULL,
        UNIQUE (kind, item_id)
    );
    INSERT INTO arrivals (kind, item_id, arrived_at)
        SELECT 'article', a.id, coalesce(p.ingested_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
        FROM articles a LEFT JOIN pages p ON p.id = a.page_id ORDER BY a.rowid;
    INSERT INTO arrivals (kind, item_id, arrived_at)
        SELECT 'statement', s.id, coalesce(g.analysed_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
        FROM statements s LEFT JOIN analysis_progress g ON g.article_id = s.article_id ORDER BY s.rowid;
    CREATE TRIGGER articles_arrival AFTER INSERT ON articles BEGIN
        INSERT INTO arrivals (kind, item_id, arrived_at)
            SELECT 'article', new.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
            WHERE NOT EXISTS (SELECT 1 FROM arrivals WHERE kind = 'article' AND item_id = new.id);
    END;
    CREATE TRIGGER statements_arrival AFTER INSERT ON statements BEGIN
        INSERT INTO arrivals (kind, item_id, arrived_at)
            SELECT 'statement', new.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
            WHERE NOT EXISTS (SELECT 1 FROM arrivals WHERE kind = 'statement' AND item_id = new.id);
    END;
    CREATE TABLE watchlists (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        query TEXT,  -- search words as typed; NULL: every item that passes the filters
        mode TEXT NOT NULL,  -- search mode: auto, text, meaning, hybrid
        kinds TEXT NOT NULL,  -- JSON list: 'article', 'statement'
        filters TEXT NOT NULL,  -- JSON object of search filters (outlet, speaker, entity, ...)
        webhook TEXT,  -- URL new items are POSTed to (set from the command line only)
        created_at TEXT NOT NULL,
        seen_through INTEGER NOT NULL,  -- arrivals up to this seq have been seen
        seen_at TEXT,
        notified_through INTEGER NOT NULL,  -- arrivals up to this seq have been sent to the webhook
        notified_at TEXT,
        notify_error TEXT  -- why the last delivery failed, NULL after a success
    );
    """,
    # 11: listings read a stored rank off an index instead of aggregating every row: a narrative
    # keeps how many outlets and statements carry it and a story how many articles it has, written
    # with their evidence and articles (bench/listings.py). Name nodes keep their spellings' counts
    # and their block keys, so an update resolves the names it touched, not all of them.
    """
    ALTER TABLE narratives ADD COLUMN outlets INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE narratives ADD COLUMN statements INTEGER NOT NULL DEFAULT 0;
    UPDATE narratives SET (outlets, statements) = (
        SELECT count(DISTINCT coalesce(nullif(e.outlet, ''), '')), count(*) FROM narrative_evidence e
        WHERE e.narrative_id = narratives.id);  -- outlets as records.outlets_of counts them
    CREATE INDEX narratives_rank ON narratives(outlets DESC, statements DESC, last_seen DESC, id);
    ALTER TABLE stories ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;
    UPDATE stories SET articles = (SELECT count(*) FROM story_articles WHERE story_id = stories.id);
    CREATE INDEX stories_rank ON stories(last_seen DESC, articles DESC, id);
    -- How often each name node was written each way, kept with the mentions, so a node's name (its
    -- most used spelling) is read from its few spellings, not by grouping all its mentions.
    CREATE TABLE name_spellings (
        name_id INTEGER NOT NULL REFERENCES entity_names(id),
        text TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (name_id, text)
    ) WITHOUT ROWID;
    INSERT INTO name_spellings SELECT name_id, text, count(*) FROM entity_mentions GROUP BY name_id, text;
    -- The keys by which resolution can compare name nodes (nlp/resolve.block_keys): an update
    -- resolves the closure of the touched nodes under shared keys, found through this index. Filled
    -- by the next full resolution ('name_blocks' stale until then).
    CREATE TABLE name_blocks (
        key TEXT NOT NULL,
        name_id INTEGER NOT NULL REFERENCES entity_names(id),
        PRIMARY KEY (key, name_id)
    ) WITHOUT ROWID;
    CREATE INDEX name_blocks_name ON name_blocks(name_id);
    CREATE INDEX entity_names_link ON entity_names(link_key);
    INSERT OR IGNORE INTO stale_outputs VALUES ('name_blocks');
    -- A claim's candidate clusters are read a term at a time, heaviest first and cut at a few
    -- hundred: this index reads just those, where a common term's whole list was read and sorted.
    CREATE INDEX claim_postings_rank ON claim_postings(channel, term, weight DESC, cluster_id);
    -- Statements not clustered yet, queued as they are written, so an update reads the new ones
    -- instead of checking every statement against claim_members.
    CREATE TABLE unclustered_statements (statement_id TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO unclustered_statements SELECT id FROM statements s
        WHERE NOT EXISTS (SELECT 1 FROM claim_members m WHERE m.statement_id = s.id);
    -- A statement's day (store/statements.statement_day), kept for the statement listing's order.
    ALTER TABLE statements ADD COLUMN day TEXT;
    UPDATE statements SET day = (CASE WHEN date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN date
        ELSE (SELECT published FROM articles WHERE id = statements.article_id) END);
    CREATE INDEX statements_day ON statements(day DESC, article_id, cue_start);
    """,
    # 12: stance (stories/stance.py). A narrative's denials and disputes are a counter-narrative of
    # their own (`counter_of` names the claim they oppose), and each piece of evidence keeps its
    # stance. Narratives stored before mixed the two: they and the claims' clustering state are
    # dropped and every statement queued, so the next analysis clusters every statement again and
    # marks its stance.
    """
    ALTER TABLE narratives ADD COLUMN counter_of TEXT;
    ALTER TABLE narrative_evidence ADD COLUMN stance TEXT NOT NULL DEFAULT 'asserts';
    CREATE INDEX narratives_counter ON narratives(counter_of);
    DELETE FROM narrative_evidence;
    DELETE FROM narratives;
    DELETE FROM claim_members;
    DELETE FROM claim_clusters;
    DELETE FROM claim_postings;
    DELETE FROM term_documents WHERE kind = 'claims';
    UPDATE kind_documents SET documents = 0 WHERE kind = 'claims';
    INSERT OR IGNORE INTO unclustered_statements SELECT id FROM statements;
    """,
    # 13: sources collected on a schedule (engine/collect.py): their validators for conditional GET,
    # their health, and every item (entry link) each has listed, so an item is fetched and
    # ingested once however often it is listed.
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT,
        kind TEXT NOT NULL,  -- auto, feed, sitemap or front
        every_seconds INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        next_due_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_fetch_at TEXT,
        last_status TEXT,
        last_error TEXT,
        errors_in_row INTEGER NOT NULL DEFAULT 0,
        new_items_last INTEGER NOT NULL DEFAULT 0,
        fetches INTEGER NOT NULL DEFAULT 0,
        not_modified INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE source_items (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        item_url TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,  -- fetches of the item that failed
        page_id TEXT,  -- the page stored for it, NULL until one is (or when it was a duplicate or rejected)
        outcome TEXT,  -- stored, duplicate, rejected, or NULL while it is still to be fetched
        hints TEXT NOT NULL DEFAULT '{}',  -- JSON: what the listing said of it (title, date, author)
        PRIMARY KEY (source_id, item_url)
    ) WITHOUT ROWID;
    CREATE INDEX source_items_url ON source_items(item_url);
    """,
    # 14: a statement's claim where its content also names the topic it was about (records.Statement:
    # "condemned the meddling …, warning that …" claims the warning); NULL: the content is the claim.
    # Narratives group statements by it. Rows stored before keep NULL (their content is their claim)
    # until `presswatch analyse --rebuild all` extracts them again.
    """
    ALTER TABLE statements ADD COLUMN claim TEXT;
    """,
    # 15: covering indexes for what an update reads row by row. On bench/update.py's 100k store an
    # update's entity totals read each mention's article row (4 KB of body) for its date, its
    # aliases each mention's row for its text, and a claim's candidate clusters each cluster's row
    # (its term sums) for its size: hundreds of MB of pages touched by one page's update; a
    # narrative re-made after new evidence joins reads each member article's outlet and date (the
    # outlet column lies after the body). These answer the same from the index alone.
    """
    CREATE INDEX articles_published_by_id ON articles(id, published, outlet);
    CREATE INDEX entity_mentions_name_text ON entity_mentions(name_id, article_id, text);
    DROP INDEX IF EXISTS entity_mentions_name;
    CREATE INDEX claim_clusters_size ON claim_clusters(id, size);
    -- Articles not analysed yet and articles in no story, queued by triggers whoever writes them
    -- (as unclustered_statements queues statements), so an update reads its new articles instead
    -- of checking every article against analysis_progress and story_articles.
    CREATE TABLE unanalysed_articles (article_id TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO unanalysed_articles SELECT id FROM articles a
        WHERE NOT EXISTS (SELECT 1 FROM analysis_progress p WHERE p.article_id = a.id);
    CREATE TABLE unassigned_articles (article_id TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO unassigned_articles SELECT id FROM articles a
        WHERE NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.article_id = a.id);
    CREATE TRIGGER articles_queued AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO unanalysed_articles VALUES (new.id);
        INSERT OR IGNORE INTO unassigned_articles VALUES (new.id);
    END;
    CREATE TRIGGER articles_unqueued AFTER DELETE ON articles BEGIN
        DELETE FROM unanalysed_articles WHERE article_id = old.id;
        DELETE FROM unassigned_articles WHERE article_id = old.id;
    END;
    CREATE TRIGGER analysis_done AFTER INSERT ON analysis_progress BEGIN
        DELETE FROM unanalysed_articles WHERE article_id = new.article_id;
    END;
    CREATE TRIGGER analysis_forgotten AFTER DELETE ON analysis_progress BEGIN
        INSERT OR IGNORE INTO unanalysed_articles
            SELECT old.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = old.article_id);
    END;
    CREATE TRIGGER story_assigned AFTER INSERT ON story_articles BEGIN
        DELETE FROM unassigned_articles WHERE article_id = new.article_id;
    END;
    CREATE TRIGGER story_unassigned AFTER DELETE ON story_articles BEGIN
        INSERT OR IGNORE INTO unassigned_articles
            SELECT old.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = old.article_id);
    END;
    -- How many articles each outlet and language has and how many statements each speaker made,
    -- kept by triggers for the search form's choices (store/search.facet_counts): counting them on
    -- every web page read all 500k statements of bench/update.py's 100k store.
    CREATE TABLE facet_counts (
        facet TEXT NOT NULL,  -- outlet, language or speaker
        value TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (facet, value)
    ) WITHOUT ROWID;
    CREATE INDEX facet_counts_rank ON facet_counts(facet, count DESC, value);
    INSERT INTO facet_counts SELECT 'outlet', outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet;
    INSERT INTO facet_counts SELECT 'language', language, count(*) FROM articles WHERE language IS NOT NULL GROUP BY language;
    INSERT INTO facet_counts SELECT 'speaker', speaker_name, count(*) FROM statements WHERE speaker_name IS NOT NULL
        GROUP BY speaker_name;
    CREATE TRIGGER articles_counted AFTER INSERT ON articles BEGIN
        INSERT INTO facet_counts SELECT 'outlet', new.outlet, 1 WHERE new.outlet IS NOT NULL
            ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
        INSERT INTO facet_counts SELECT 'language', new.language, 1 WHERE new.language IS NOT NULL
            ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER articles_uncounted AFTER DELETE ON articles BEGIN
        UPDATE facet_counts SET count = count - 1
            WHERE (facet = 'outlet' AND value = old.outlet) OR (facet = 'language' AND value = old.language);
    END;
    CREATE TRIGGER articles_recounted AFTER UPDATE OF outlet, language ON articles BEGIN
        UPDATE facet_counts SET count = count - 1
            WHERE (facet = 'outlet' AND value = old.outlet) OR (facet = 'language' AND value = old.language);
        INSERT INTO facet_counts SELECT 'outlet', new.outlet, 1 WHERE new.outlet IS NOT NULL
            ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
        INSERT INTO facet_counts SELECT 'language', new.language, 1 WHERE new.language IS NOT NULL
            ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER statements_counted AFTER INSERT ON statements WHEN new.speaker_name IS NOT NULL BEGIN
        INSERT INTO facet_counts VALUES ('speaker', new.speaker_name, 1)
            ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER statements_uncounted AFTER DELETE ON statements WHEN old.speaker_name IS NOT NULL BEGIN
        UPDATE facet_counts SET count = count - 1 WHERE facet = 'speaker' AND value = old.speaker_name;
    END;
    CREATE TRIGGER statements_recounted AFTER UPDATE OF speaker_name ON statements BEGIN
        UPDATE facet_counts SET count = count - 1 WHERE facet = 'speaker' AND value = old.speaker_name;
        INSERT INTO facet_counts SELECT 'speaker', new.speaker_name, 1 WHERE new.speaker_name IS NOT NULL
            ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    END;
    """,
    # 16: a clustered claim keeps its statement's stance signals (stories/stance.Signals.bits, with
    # the default stance parameters), so a narrative that grows does not derive them again for
    # its old evidence (bench/archive.py). NULL where stored before: derived when needed.
    """
    ALTER TABLE claim_members ADD COLUMN signals INTEGER;
    """,
    # 17: a story keeps its clustering state (the clusterer's summed term weights, its summed
    # embedding, its first and last day, and how many articles the frequencies that weighed it
    # counted), so an update brings the open stories back without reading and re-featurising their
    # articles: that grew with every long-running story (bench/archive.py). Stories stored before
    # have none: they are dropped and the next analysis assigns every article afresh (the trigger of
    # migration 15 queues them again).
    """
    CREATE TABLE story_sums (
        story_id TEXT PRIMARY KEY,
        sums TEXT NOT NULL,  -- JSON: channel -> term -> summed weight
        dense BLOB,
        first_day REAL,
        last_day REAL,
        weighed_at INTEGER NOT NULL  -- the 'stories' document count its oldest weights were taken at
    ) WITHOUT ROWID;
    DELETE FROM story_articles;
    DELETE FROM stories;
    DELETE FROM term_documents WHERE kind = 'stories';
    UPDATE kind_documents SET documents = 0 WHERE kind = 'stories';
    """,
    # 18: a large narrative's polarity counts (stories/stance.GroupPolarity as JSON: size, statements
    # saying the claim is not so, whether the first said does, its date), kept when it grows, so the
    # next growth reads its latest statements only, not every member's signals (bench/archive.py).
    # NULL until a growth writes it, and again whenever the cluster's row is written anew.
    """
    ALTER TABLE claim_clusters ADD COLUMN polarity TEXT;
    """,
    # 19: the articles whose mentions were written since the last entity resolution (`again`: they
    # replaced mentions stored before), so an entity that kept its names adds the new mentions to
    # its counts and aliases instead of counting all of its mentions again: that grew with every
    # often-named organisation (0.08 s of an update at 10k articles, 0.9 s at 100k in
    # bench/archive.py). Mentions already pending are marked `again`: they are counted whole once.
    """
    CREATE TABLE touched_articles (article_id TEXT PRIMARY KEY, again INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO touched_articles SELECT DISTINCT article_id, 1 FROM entity_mentions
        WHERE name_id IN (SELECT name_id FROM touched_names);
    """,
    # 20: the postings ordered as they are read (a term's clusters, heaviest first) by their own key,
    # which replaces the rank index of migration 13: every posting written went into both, and their
    # pages were most of what an update's commit wrote on a large store (bench/archive.py). The
    # writer keeps one row per channel, term and cluster (it replaces a cluster's rows whole).
    """
    CREATE TABLE claim_postings_by_rank (
        channel TEXT NOT NULL,
        term TEXT NOT NULL,
        weight REAL NOT NULL,  -- the term's summed weight in the cluster
        cluster_id TEXT NOT NULL,
        PRIMARY KEY (channel, term, weight DESC, cluster_id)
    ) WITHOUT ROWID;
    INSERT INTO claim_postings_by_rank (channel, term, weight, cluster_id)
        SELECT channel, term, weight, cluster_id FROM claim_postings;
    DROP TABLE claim_postings;
    ALTER TABLE claim_postings_by_rank RENAME TO claim_postings;
    CREATE INDEX claim_postings_cluster ON claim_postings(cluster_id);
    """,
    # 21: a cluster's postings are found by their key, from the sums stored beside them
    # (store/claims.write_clusters), so no index by cluster is kept up to date with every posting
    # written: it was half of what an update wrote of them on a large store (bench/archive.py).
    """
    DROP INDEX claim_postings_cluster;
    """,
    # 22: an item's place in the listing that first named it (0: the first, which for a sitemap is its
    # newest), so a pass fetches a large new listing newest first instead of in URL order
    # (store/sources.pending_items). Items listed before keep 0: they go in URL order, as they did.
    """
    ALTER TABLE source_items ADD COLUMN listed_rank INTEGER NOT NULL DEFAULT 0;
    """,
    # 23: the block keys changed (nlp/resolve.block_keys: a hyphenated word's parts are organisation
    # words, "Drevany" shares its demonym stem with "Drevan") and so did the rules: the next
    # resolution is a full one over every name, with the stored keys written again.
    """
    INSERT OR IGNORE INTO stale_outputs VALUES ('name_blocks');
    INSERT OR IGNORE INTO stale_outputs VALUES ('entities');
    """,
    # 24: demonym stems changed again ("Selvania" shares "selv" with "Selvan", "Jordan" with
    # "Jordanian"): the stored "dem:" and "bag:" block keys are rewritten by one full resolution.
    """
    INSERT OR IGNORE INTO stale_outputs VALUES ('name_blocks');
    INSERT OR IGNORE INTO stale_outputs VALUES ('entities');
    """,
    # 25: when one of a source's items was last asked for, so that a host whose Crawl-delay allows
    # one request a round gives its turns to the listing and to the items in turn (engine/collect.py);
    # NULL: never (an item goes before its listing's next fetch).
    """
    ALTER TABLE sources ADD COLUMN item_fetched_at TEXT;
    """,
    # 26: the child sitemaps of a source's sitemap index, each with when it was last read, so an index
    # of more children than a round waits for (under a long Crawl-delay) is read a few a round, those
    # never read and then the least recently read first (engine/collect.py).
    """
    CREATE TABLE source_sitemaps (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        sitemap_url TEXT NOT NULL,
        read_at TEXT NOT NULL,
        PRIMARY KEY (source_id, sitemap_url)
    ) WITHOUT ROWID;
    """,
    # 27: each host's last request and the pace the next keeps after it (its Crawl-delay, or --rate),
    # so a run started just after another (cron, a watch stopped) waits out the rest of the host's
    # pace instead of asking at once (engine/collect.py). Seconds since the epoch, not ISO to the
    # second as other moments: a pace of one second must not lose up to a second to rounding.
    """
    CREATE TABLE host_requests (
        host TEXT PRIMARY KEY,
        requested_at REAL NOT NULL,
        pace REAL NOT NULL
    ) WITHOUT ROWID;
    """,
    # 28: an index's children to read before its next fetch, so those its host's pace left are read at
    # the host's next turns, not at the index's next fetch (engine/collect.py): `plan_rank`, a child's
    # place among those still to read (NULL: read, or not to be); `planned`, whether the index's last
    # fetch (or a nested index read since) named it to be read. `read_at` NULL: never read.
    """
    CREATE TABLE source_sitemaps_planned (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        sitemap_url TEXT NOT NULL,
        read_at TEXT,
        planned INTEGER NOT NULL DEFAULT 0,
        plan_rank INTEGER,
        PRIMARY KEY (source_id, sitemap_url)
    ) WITHOUT ROWID;
    INSERT INTO source_sitemaps_planned (source_id, sitemap_url, read_at)
        SELECT source_id, sitemap_url, read_at FROM source_sitemaps;
    DROP TABLE source_sitemaps;
    ALTER TABLE source_sitemaps_planned RENAME TO source_sitemaps;
    """,
    # 29: a word the country data knows takes its own country's stem where another country's words
    # spell its stem too (names.demonym_stem: "Mauritian" no longer shares "maurit" with
    # "Mauritania"): the stored "dem:" and "bag:" block keys are rewritten by one full resolution.
    """
    INSERT OR IGNORE INTO stale_outputs VALUES ('name_blocks');
    INSERT OR IGNORE INTO stale_outputs VALUES ('entities');
    """,
    # 30: what gave each mention its type (nlp/name_types.py: "'in Vyshtal'", "the role 'envoy'";
    # NULL: the model's type alone), and per name node how many of its mentions had such evidence:
    # the corpus's type vote weighs those first (nlp/resolve._reconcile_types) and an entity's page
    # shows them. Mentions analysed before have none until analysed again (`analyse --rebuild all`).
    """
    ALTER TABLE entity_mentions ADD COLUMN type_evidence TEXT;
    ALTER TABLE entity_names ADD COLUMN evidenced INTEGER NOT NULL DEFAULT 0;
    """,
    # 31: a story's outlets count its articles naming none as one outlet, '(unknown outlet)'
    # (records.story_outlets, as `presswatch story` and a narrative's outlets do): the stories
    # holding such an article list theirs again, most articles first, the first to publish first.
    """
    UPDATE stories SET outlets = (
        SELECT json_group_array(outlet) FROM (
            SELECT coalesce(nullif(a.outlet, ''), '(unknown outlet)') AS outlet FROM story_articles s
            JOIN articles a ON a.id = s.article_id WHERE s.story_id = stories.id
            GROUP BY 1 ORDER BY count(*) DESC, min(s.position)))
    WHERE id IN (SELECT s.story_id FROM story_articles s JOIN articles a ON a.id = s.article_id
                 WHERE coalesce(a.outlet, '') = '');
    """,
    # 32: a statement's cue is its words, without the colon its span takes ("said", span "said:";
    # nlp/statements._cue_as_said): statements stored before keep their span and lose the colon
    # from the cue's text, as they would analysed again. A cue that is only a colon (a speaker
    # label's, "Kask: …") stays one. rtrim drops the same marks as `_CUE_TRAILING_MARKS`.
    """
    UPDATE statements SET cue = rtrim(cue, ' :;,')
    WHERE cue GLOB '*[ :;,]' AND rtrim(cue, ' :;,') <> '';
    """,
    # 33: the narratives an article's statements carry, found by the article: the search page's
    # narrative facet over 500 articles, and an article's page, read every piece of evidence
    # (bench/listings.py's 100k store, 75k pieces: 36 ms the facet, against 1).
    """
    CREATE INDEX IF NOT EXISTS narrative_evidence_article ON narrative_evidence(article_id, narrative_id);
    """,
    # 34: articles by their address, so a page of an address the store holds (the article corrected or
    # updated by its outlet) is found as a new version of that article (engine/local.save_extracted)
    # with one look-up, not a walk through every article's row.
    """
    CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
    """,
    # 35: an article has a second vector, its headline alone (kind 'title', store/vectors.py), dropped
    # with the article as its opening's is. A store indexed before has none: `presswatch index` or the
    # next `analyse` embeds them, and until then search ranks its articles by their opening alone.
    """
    DROP TRIGGER IF EXISTS vectors_article_gone;
    CREATE TRIGGER vectors_article_gone AFTER DELETE ON articles BEGIN
        DELETE FROM vectors WHERE kind IN ('article', 'title') AND item_id = old.id;
    END;
    """,
    # 36: a claim cluster keeps how many claims the store had counted when its oldest weights were
    # taken, as a story does (migration 17), so its members are clustered again once the store has
    # grown past engine/frequencies.REWEIGH_GROWTH since (engine/narratives.py). Clusters stored
    # before count as weighed at the store's present count, as if weighed now: 0 would have the
    # first updates after the upgrade cluster again every cluster they bring back, at whatever size.
    """
    ALTER TABLE claim_clusters ADD COLUMN weighed_at INTEGER NOT NULL DEFAULT 0;
    UPDATE claim_clusters SET weighed_at = coalesce((SELECT documents FROM kind_documents WHERE kind = 'claims'), 0);
    """,
    # 37: a narrative's timeline is read in the order its evidence's own columns give (undated last,
    # then date, article and statement: stories/narratives._in_timeline), off an index, not by a
    # stored position: evidence dated inside a timeline takes its place without the evidence after
    # it numbered again, so a large narrative grows by what it gains wherever it joins
    # (engine/narratives._grow). Every stored timeline was numbered in that order (make_narrative
    # sorts by it, and evidence was appended only at the end), so none changes. The table is copied
    # without the column rather than the column dropped, so the script runs again on a store that
    # has none (as tests that set a store's version back do). Whether a narrative already names an
    # outlet is found off an index too (store/stories.outlets_held): a new outlet's look-up read every
    # piece of the narrative's evidence.
    """
    CREATE TABLE narrative_evidence_dated (
        statement_id TEXT PRIMARY KEY,  -- a statement carries one narrative
        narrative_id TEXT NOT NULL REFERENCES narratives(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id),
        speaker TEXT,
        outlet TEXT,
        date TEXT,
        quote TEXT NOT NULL,
        stance TEXT NOT NULL DEFAULT 'asserts'
    );
    INSERT INTO narrative_evidence_dated
        SELECT statement_id, narrative_id, article_id, speaker, outlet, date, quote, stance FROM narrative_evidence
        ORDER BY narrative_id, date IS NULL, date, article_id, statement_id;
    DROP TABLE narrative_evidence;
    ALTER TABLE narrative_evidence_dated RENAME TO narrative_evidence;
    CREATE INDEX narrative_evidence_timeline
        ON narrative_evidence(narrative_id, date IS NULL, date, article_id, statement_id);
    CREATE INDEX narrative_evidence_article ON narrative_evidence(article_id, narrative_id);
    CREATE INDEX narrative_evidence_outlet ON narrative_evidence(narrative_id, coalesce(nullif(outlet, ''), ''));
    """,
]
