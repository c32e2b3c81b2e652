"""Full-text search over folded text (FTS5), with a near-miss fallback (rapidfuzz)."""

import math
import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
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
#: the query matches a good part of the catalog: the prominent sites that match come first,
#: then the first ``RANKED_NAMES`` matches in names, ranked among themselves, then the rest in
#: catalog order, which keeps a one-common-word search fast on 50,000 sites.
RANK_ALL = 500
RANKED_NAMES = 100
_NAME_COLUMNS = "{name local_names}"
#: How alike (0-100) a word must be to a catalog word to count as a near miss: one letter
#: wrong in five ("teslq") passes, a short word inside a longer one ("cup" for "cupic") does not.
NEAR_MISS = 80
_MIN_NEAR_MISS_LENGTH = 3
_WORD = re.compile(r"\w+")


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


class Vocabulary:
    """The catalog's indexed words, by length, each with a count of its letters: a near miss of a
    word is looked for only among words of a length that can reach ``NEAR_MISS`` with it, and of
    those only among words whose letters differ from its own by few enough. Both bounds are
    exact (``fuzz.ratio`` is 100 * (1 - indel / (sum of lengths)), and each insertion or
    deletion changes the letter counts by one), so the few words left are the ones rapidfuzz
    would have kept; at 50,000 sites that is a few dozen of 30,000."""

    def __init__(self, words: Iterable[str]):
        self._words = sorted(words, key=lambda word: (len(word), word))
        self._lengths = np.array([len(word) for word in self._words], dtype=np.int32)
        # Words along the rows' length (a column per word): summing down the columns is ten
        # times quicker than across rows.
        self._counts = np.ascontiguousarray(_letter_counts(self._words).T)

    def near(self, term: str) -> list[str]:
        """Up to five catalog words at least ``NEAR_MISS`` alike to ``term``, closest first."""
        shortest = math.ceil(len(term) * NEAR_MISS / (200 - NEAR_MISS))
        longest = math.floor(len(term) * (200 - NEAR_MISS) / NEAR_MISS)
        start = int(np.searchsorted(self._lengths, shortest, side="left"))
        end = int(np.searchsorted(self._lengths, longest, side="right"))
        term_counts = _letter_counts([term]).T
        apart = np.abs(self._counts[:, start:end] - term_counts).sum(axis=0, dtype=np.int16)
        allowed = (100 - NEAR_MISS) / 100 * (len(term) + self._lengths[start:end])
        candidates = [self._words[start + int(i)] for i in np.flatnonzero(apart <= allowed + 1e-9)]
        close = process.extract(term, candidates, scorer=fuzz.ratio, score_cutoff=NEAR_MISS, limit=5)
        return [word for word, _score, _index in close]


#: Letters and digits counted one by one, up to ``_MOST`` each; any other character in one count.
_MOST = 100
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_BIN = np.full(128, len(_ALPHABET), dtype=np.int64)
_BIN[[ord(c) for c in _ALPHABET]] = np.arange(len(_ALPHABET))


def _letter_counts(words: list[str]) -> np.ndarray:
    """A row per word: how many times each letter or digit (and any other character) occurs."""
    bins = len(_ALPHABET) + 1
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    slots = np.where(codes < 128, _BIN[np.minimum(codes, 127)], bins - 1)
    owner = np.repeat(np.arange(len(words)), [len(word) for word in words])
    counts = np.bincount(owner * bins + slots, minlength=len(words) * bins)
    # Capped, so a difference fits in a byte: a smaller difference only keeps more words.
    return np.minimum(counts, _MOST).reshape(len(words), bins).astype(np.int8)


#: ``(ranked, rest)``: ``(rowid, score)`` pairs best first, then unranked rowids in catalog order.
Ranking = tuple[list[tuple[int, float]], list[int]]


def rank(
    db: Database, query: str, vocabulary: Callable[[], Vocabulary], prominent: Mapping[int, int]
) -> Ranking | None:
    """Full-text rowids matching a query (see ``Ranking``); None for a query with no words.
    ``prominent`` maps the rowids of sites with a prominence above 0 to it."""
    terms = query_words(query)
    if not terms:
        return None
    found = _match(db, _expression(terms), prominent, terms)
    if found[0] or found[1]:
        return found
    near = _near_expression(db, terms, vocabulary())
    return _match(db, near, prominent, None) if near else ([], [])


def top(
    db: Database, query: str, vocabulary: Callable[[], Vocabulary], limit: int, prominent: Mapping[int, int]
) -> list[tuple[int, float]] | None:
    """The first ``limit`` of what ``rank`` gives, in the same order, read without reading
    every match: a page of results costs about the same for a query matching half of
    50,000 sites as for a narrow one. None for a query with no words."""
    terms = query_words(query)
    if not terms:
        return None
    found = _top(db, _expression(terms), limit, prominent, terms)
    if found:
        return found
    near = _near_expression(db, terms, vocabulary())
    return _top(db, near, limit, prominent, None) if near else []


def count(db: Database, query: str, vocabulary: Callable[[], Vocabulary]) -> int | None:
    """How many sites match a query (near misses when nothing matches exactly), counted
    inside SQLite; None for a query with no words."""
    terms = query_words(query)
    if not terms:
        return None
    found = _count(db, _expression(terms))
    if found:
        return found
    near = _near_expression(db, terms, vocabulary())
    return _count(db, near) if near else 0


def _expression(terms: list[str]) -> str:
    # Words are \w+ runs wrapped in double quotes, so no user text reaches FTS5's syntax.
    return " AND ".join(f'"{t}"*' for t in terms)


def _count(db: Database, expression: str) -> int:
    return db.execute("SELECT count(*) FROM sites_fts WHERE sites_fts MATCH ?", [expression]).fetchone()[0]


def _match(db: Database, expression: str, prominent: Mapping[int, int], terms: list[str] | None) -> Ranking:
    # Only rowids are read: the index answers without touching the stored text.
    rowids = [
        rowid for (rowid,) in db.execute("SELECT rowid FROM sites_fts WHERE sites_fts MATCH ?", [expression])
    ]
    if len(rowids) <= RANK_ALL:
        return _all_ranked(db, expression, len(rowids), prominent), []
    head = _broad_head(db, expression, prominent, terms)
    seen = {rowid for rowid, _score in head}
    return head, [rowid for rowid in rowids if rowid not in seen]


def _top(
    db: Database, expression: str, limit: int, prominent: Mapping[int, int], terms: list[str] | None
) -> list[tuple[int, float]]:
    # Whether the query is broad is known from its first RANK_ALL + 1 rowids, not a full
    # count; for a broad query they are also the first of the rest, in catalog order.
    first = [rowid for (rowid,) in db.execute(
        f"SELECT rowid FROM sites_fts WHERE sites_fts MATCH ? LIMIT {RANK_ALL + 1}", [expression]
    )]  # fmt: skip
    if len(first) <= RANK_ALL:
        return _all_ranked(db, expression, len(first), prominent)[:limit]
    page = _broad_head(db, expression, prominent, terms)
    seen = {rowid for rowid, _score in page}
    page += [(rowid, 0.0) for rowid in first[: limit + len(seen)] if rowid not in seen]
    return page[:limit]


def _all_ranked(
    db: Database, expression: str, total: int, prominent: Mapping[int, int]
) -> list[tuple[int, float]]:
    """Every match scored by relevance and prominence, best first."""
    scored = [(rowid, with_prominence(score, prominent.get(rowid, 0))) for rowid, score in
              _ranked(db, expression, total)]  # fmt: skip
    return sorted(scored, key=lambda pair: -pair[1])


def _broad_head(
    db: Database, expression: str, prominent: Mapping[int, int], terms: list[str] | None
) -> list[tuple[int, float]]:
    """What a broad query lists first, where scoring every match would cost time per row:
    the prominent sites that match, then the first matches in names, ranked among themselves.
    Each read stops after a few rows, so the cost does not grow with the catalog."""
    names = _first_scored(db, f"{_NAME_COLUMNS} : ({expression})", RANKED_NAMES)
    scores = dict(names)
    favoured = _prominent_matches(db, terms, prominent) if terms else []
    head = sorted(((rowid, scores.get(rowid, 0.0)) for rowid in favoured),
                  key=lambda pair: (-prominent[pair[0]], -pair[1]))  # fmt: skip
    chosen = set(favoured)
    return head + sorted(((r, s) for r, s in names if r not in chosen), key=lambda pair: -pair[1])


def _first_scored(db: Database, expression: str, limit: int) -> list[tuple[int, float]]:
    # Without ORDER BY, SQLite stops after ``limit`` rows and scores only those.
    return db.execute(
        f"SELECT rowid, -bm25(sites_fts, {_WEIGHTS}) FROM sites_fts WHERE sites_fts MATCH ? "
        f"LIMIT {int(limit)}",
        [expression],
    ).fetchall()


def _prominent_matches(db: Database, terms: list[str], prominent: Mapping[int, int]) -> list[int]:
    """The prominent rowids whose folded text has every query word as the start of a word,
    as the full-text match has it; read by rowid, which costs nothing per catalog size."""
    if not prominent:
        return []
    rowids = ", ".join(str(int(rowid)) for rowid in prominent)
    found = []
    for rowid, *texts in db.execute(
        f"SELECT rowid, name, local_names, body, town FROM sites_fts WHERE rowid IN ({rowids})"
    ):
        site_words = _WORD.findall(" ".join(texts))
        if all(any(word.startswith(term) for word in site_words) for term in terms):
            found.append(rowid)
    return found


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


def _near_expression(db: Database, terms: list[str], vocabulary: Vocabulary) -> str | None:
    """The query with each word the catalog does not hold replaced by its near misses, or None
    when such a word has none. Every word long enough to judge must have one, as every word
    must match exactly in the first pass; one- and two-letter words are too short to correct
    and are dropped. A word the catalog holds stays as typed ("church" in "belgrde church"):
    it is not what went wrong, and looking for its near misses would cost as much again."""
    alternatives = []
    for term in terms:
        if len(term) < _MIN_NEAR_MISS_LENGTH:
            continue
        if _holds(db, term):
            alternatives.append(f'"{term}"*')
            continue
        close = vocabulary.near(term)
        if not close:
            return None
        alternatives.append(" OR ".join(f'"{word}"' for word in close))
    if not alternatives:
        return None
    return " AND ".join(f"({group})" for group in alternatives)


def _holds(db: Database, term: str) -> bool:
    """Whether some catalog word starts with ``term`` (the prefix indexes answer at once)."""
    found = db.execute("SELECT 1 FROM sites_fts WHERE sites_fts MATCH ? LIMIT 1", [f'"{term}"*'])
    return found.fetchone() is not None
