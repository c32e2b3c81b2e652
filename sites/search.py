"""Full-text search over folded text (FTS5), with a near-miss fallback (rapidfuzz)."""

from collections.abc import Callable

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from sites.folding import fold, words
from sites.models import Site

#: A query is cut to this many words of at most this many letters: enough for any real
#: search, and a 10,000-character paste stays fast.
MAX_WORDS = 12
MAX_WORD_LENGTH = 40
#: Relative weights of the id, name, local_names, body and town columns in the ranking.
_WEIGHTS = "0.0, 10.0, 8.0, 1.0, 4.0"
#: What one point of a site's prominence (0-3) adds to its relevance, as a share of it. Name
#: matches score about 4, within 0.5 of each other, so 3 points (+30 %) lift the headline site
#: above its namesakes, while a passing mention (about 2) stays below a name.
PROMINENCE_WEIGHT = 0.1
#: Up to this many matches are all ranked by relevance (bm25 costs time per row). Past it,
#: the query matches a good part of the catalog: matches in names are ranked first and the
#: rest follow in catalog order, which keeps a one-common-word search fast on 50,000 sites.
RANK_ALL = 2_000
RANKED_NAMES = 200
_NAME_COLUMNS = "{name local_names}"
#: How alike (0-100) a word must be to a catalog word to count as a near miss: one letter
#: wrong in five ("teslq") passes, a short word inside a longer one ("cup" for "cupic") does not.
NEAR_MISS = 80
_MIN_NEAR_MISS_LENGTH = 3


def index_row(site: Site) -> tuple[str, str, str, str, str]:
    """The folded text a site is found by: id, name, local names, story, town."""
    return (
        site.id,
        fold(site.name),
        fold(f"{site.name_sr_latn} {site.name_sr_cyrl}"),
        fold(f"{site.summary} {site.us_connection} {site.address or ''}"),
        fold(f"{site.town} {site.region}"),
    )


def query_words(query: str) -> list[str]:
    """The words of a query that take part in search: folded, letters and digits only."""
    return [w[:MAX_WORD_LENGTH] for w in words(query)[:MAX_WORDS]]


#: ``(ranked, rest)``: ``(rowid, score)`` pairs best first, then unranked rowids in catalog order.
Ranking = tuple[list[tuple[int, float]], list[int]]


def rank(db: Database, query: str, vocabulary: Callable[[], list[str]]) -> Ranking | None:
    """Full-text rowids matching a query (see ``Ranking``); None for a query with no words."""
    terms = query_words(query)
    if not terms:
        return None
    found = _match(db, " AND ".join(f'"{t}"*' for t in terms))
    if found[0] or found[1]:
        return found
    return _near_misses(db, terms, vocabulary())


def _match(db: Database, expression: str) -> Ranking:
    # Words are \w+ runs wrapped in double quotes, so no user text reaches FTS5's syntax.
    # Only rowids are read: the index answers without touching the stored text.
    rowids = [
        rowid for (rowid,) in db.execute("SELECT rowid FROM sites_fts WHERE sites_fts MATCH ?", [expression])
    ]
    if len(rowids) <= RANK_ALL:
        return _ranked(db, expression, len(rowids)), []
    head = _ranked(db, f"{_NAME_COLUMNS} : ({expression})", RANKED_NAMES)
    seen = {rowid for rowid, _score in head}
    return head, [rowid for rowid in rowids if rowid not in seen]


def _ranked(db: Database, expression: str, limit: int) -> list[tuple[int, float]]:
    if limit == 0:
        return []
    return db.execute(
        f"SELECT rowid, -bm25(sites_fts, {_WEIGHTS}) FROM sites_fts WHERE sites_fts MATCH ? "
        f"ORDER BY bm25(sites_fts, {_WEIGHTS}) LIMIT {int(limit)}",
        [expression],
    ).fetchall()


def with_prominence(score: float, prominence: int) -> float:
    """Relevance raised by a site's curated prominence: among matches about as good as each
    other (every "tesla" site has Tesla in its name), the place the story is known by comes
    first, while a far better match still wins. Applied to the ranked matches in Python: a
    join in the ranking query cost three times the query."""
    return score * (1 + PROMINENCE_WEIGHT * prominence)


def _near_misses(db: Database, terms: list[str], vocabulary: list[str]) -> Ranking:
    # Every word long enough to judge must have a near miss, as every word must match exactly
    # in the first pass; one- and two-letter words are too short to correct and are dropped.
    alternatives = []
    for term in terms:
        if len(term) < _MIN_NEAR_MISS_LENGTH:
            continue
        close = process.extract(term, vocabulary, scorer=fuzz.ratio, score_cutoff=NEAR_MISS, limit=5)
        if not close:
            return [], []
        alternatives.append(" OR ".join(f'"{word}"' for word, _score, _index in close))
    if not alternatives:
        return [], []
    return _match(db, " AND ".join(f"({group})" for group in alternatives))
