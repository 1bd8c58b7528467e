"""Every query an update of the narratives runs reads through an index: its cost follows what it
touches, not what is stored (issue 12). Checked with EXPLAIN QUERY PLAN on the statements as run."""

import re
import shutil

from presswatch.engine.narratives import update_narratives
from presswatch.store import Store
from presswatch.store import claims as claim_store

# The queue of statements not clustered yet holds only what is new: reading it whole is the point.
QUEUE = re.compile(r"^SCAN u$")


def test_the_narratives_update_scans_no_stored_table(example_db, tmp_path):
    path = tmp_path / "plans.db"
    shutil.copy(example_db, path)
    run: list[str] = []
    with Store(path) as store:
        claim_store.delete_claims(store)  # every statement queued again, as a backlog would be
        store.conn.set_trace_callback(run.append)
        changed = update_narratives(store)
        store.conn.set_trace_callback(None)
        assert changed
        queries = [sql for sql in dict.fromkeys(run) if re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT)", sql, re.IGNORECASE)]
        assert any("unclustered_statements" in sql for sql in queries)
        scans = {
            sql[:120]: step
            for sql in queries
            for (*_, step) in store.conn.execute("EXPLAIN QUERY PLAN " + sql)
            if step.startswith("SCAN") and not QUEUE.match(step)
        }
    assert scans == {}


def test_a_listed_claim_names_every_opponent_though_its_counters_evidence_is_cut_short(example_db):
    """A listing carries the start of each counter-narrative's timeline (LISTED_EVIDENCE); who
    denied or disputed the claim is read from the whole of it, so the list and the claim's own page
    name the same opponents."""
    from presswatch.query import listings
    from presswatch.records import opponents

    with Store(example_db) as store:
        listed = listings.narratives(store, limit=200).items
        cut = [n for n in listed if any(c.statements > len(c.evidence) for c in n.counters)]
        assert cut, "the examples hold a counter-narrative longer than a listing carries"
        for claim in cut:
            assert opponents(claim) == opponents(listings.narrative(store, claim.id))
