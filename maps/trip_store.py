"""Saved trips, in ``trips.db`` beside the catalog in the user's data folder (plain SQLite)."""

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from maps.planning.itinerary import Itinerary, itinerary_from_json
from sites import paths
from sites.catalog import transaction
from sites.errors import NotFoundError, StorageError, ValidationError


@dataclass(frozen=True)
class SavedTrip:
    """A saved trip as listed: its name, when it was saved, and its dates."""

    name: str
    start: str
    days: int
    updated: str
    stops: int


class TripStore:
    """Save, reopen, rename, copy and delete trips; remembers the last one opened."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else paths.trips_path()
        try:
            self.db = Database(sqlite3.connect(str(self.path), timeout=5))
            # A damaged file is found here, once, rather than half-way through a listing.
            if self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
            self.db.execute("PRAGMA journal_mode = WAL")
            if "trips" not in self.db.table_names():
                # db.table(name), not db[name] (typed Table | View): only a Table has create/upsert/delete.
                self.db.table("trips").create(
                    {"name": str, "request": str, "itinerary": str, "created": str, "updated": str},
                    pk="name",
                )
                self.db.table("meta").create({"key": str, "value": str}, pk="key")
        except sqlite3.Error as error:
            if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
                raise StorageError(
                    f"The saved trips file {self.path} is damaged or is not a trips file. Move it "
                    "aside (the app then starts a new one) or put back a copy you kept."
                ) from None
            raise StorageError.from_sqlite(error, str(self.path)) from None

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    def save(self, itinerary: Itinerary, name: str | None = None) -> str:
        """Save (or overwrite) a trip under its name; returns the name used."""
        name = (name or itinerary.request.name).strip()
        if not name:
            raise ValidationError(["a saved trip needs a name"])
        itinerary = replace(itinerary, request=replace(itinerary.request, name=name))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        data = itinerary.to_json()
        row = {
            "name": name,
            "request": json.dumps(data["request"]),
            "itinerary": json.dumps(data),
            "updated": now,
        }
        with self._writing():
            existing = self.db.execute("SELECT created FROM trips WHERE name = ?", [name]).fetchone()
            row["created"] = existing[0] if existing else now
            self.db.table("trips").upsert(row, pk="name")
            self.db.table("meta").upsert({"key": "last", "value": name}, pk="key")
        return name

    def list(self) -> list[SavedTrip]:
        """Every saved trip, most recently saved first."""
        trips = []
        for row in self.db.query("SELECT name, itinerary, updated FROM trips ORDER BY updated DESC, name"):
            data = json.loads(row["itinerary"])
            stops = sum(len(d["stops"]) for d in data["days"])
            trips.append(
                SavedTrip(
                    row["name"], data["request"]["start"], data["request"]["days"], row["updated"], stops
                )
            )
        return trips

    def load(self, name: str) -> Itinerary:
        """A saved trip by name, which becomes the last one opened."""
        row = self.db.execute("SELECT itinerary FROM trips WHERE name = ?", [name]).fetchone()
        if row is None:
            raise NotFoundError(f"There is no saved trip called {name!r}")
        with self._writing():
            self.db.table("meta").upsert({"key": "last", "value": name}, pk="key")
        return itinerary_from_json(json.loads(row[0]))

    def last(self) -> str | None:
        """The name of the trip opened or saved last, if it still exists."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'last'").fetchone()
        if row and self.db.execute("SELECT 1 FROM trips WHERE name = ?", [row[0]]).fetchone():
            return row[0]
        return None

    def rename(self, old: str, new: str) -> None:
        """Give a saved trip another name."""
        itinerary = self.load(old)
        if (
            new.strip() != old
            and self.db.execute("SELECT 1 FROM trips WHERE name = ?", [new.strip()]).fetchone()
        ):
            raise ValidationError([f"a trip called {new.strip()!r} already exists"])
        with self._writing():
            self.db.table("trips").delete(old)
        self.save(itinerary, new)

    def copy(self, name: str, new: str | None = None) -> str:
        """Save a copy of a trip under a new name (``… (copy)`` by default)."""
        itinerary = self.load(name)
        new = new or self._free_name(f"{name} (copy)")
        return self.save(itinerary, new)

    def delete(self, name: str) -> None:
        """Delete a saved trip."""
        if not self.db.execute("SELECT 1 FROM trips WHERE name = ?", [name]).fetchone():
            raise NotFoundError(f"There is no saved trip called {name!r}")
        with self._writing():
            self.db.table("trips").delete(name)

    def _free_name(self, wanted: str) -> str:
        name, n = wanted, 2
        while self.db.execute("SELECT 1 FROM trips WHERE name = ?", [name]).fetchone():
            name, n = f"{wanted} {n}", n + 1
        return name

    def _writing(self):
        return transaction(self.db, str(self.path))
