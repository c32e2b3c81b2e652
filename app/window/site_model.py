"""A Qt list model over search results: a thin adapter, no SQL in ``data()``."""

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from sites.models import SearchResult, Site, Theme

SiteRole = Qt.ItemDataRole.UserRole + 1
SiteIdRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3


class SiteListModel(QAbstractListModel):
    """Sites in the order search ranked them."""

    def __init__(self, themes: list[Theme] | None = None, parent=None):
        super().__init__(parent)
        self._results: list[SearchResult] = []
        self._row_of: dict[str, int] = {}
        self._themes = {t.id: t for t in themes or []}

    def set_results(self, results: list[SearchResult]) -> None:
        """Replace the shown sites."""
        self.beginResetModel()
        self._results = list(results)
        self._row_of = {r.site.id: n for n, r in enumerate(self._results)}
        self.endResetModel()

    def site_at(self, row: int) -> Site:
        """The site shown in a row."""
        return self._results[row].site

    def row_of(self, site_id: str) -> int | None:
        """The row showing a site, or None when it is filtered out."""
        return self._row_of.get(site_id)

    def site_ids(self) -> list[str]:
        """Ids of the shown sites, in order."""
        return [r.site.id for r in self._results]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        site = result.site
        if role == Qt.ItemDataRole.DisplayRole:
            draft = "  (draft)" if site.status != "published" else ""
            return f"{site.name}{draft}\n{site.town}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return site.summary
        if role == Qt.ItemDataRole.DecorationRole:
            theme = self._themes.get(site.themes[0]) if site.themes else None
            return QColor(theme.colour) if theme else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{site.name}, {site.town}"
        if role == SiteRole:
            return site
        if role == SiteIdRole:
            return site.id
        if role == ScoreRole:
            return result.score
        return None
