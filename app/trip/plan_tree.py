"""The plan as a tree of days and stops that a traveler rearranges by hand, and the undoable
edit each change makes."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from app.window.site_model import SiteIdRole
from maps.planning.itinerary import Itinerary


class PlanEdit(QUndoCommand):
    """One change to the plan (a drag, a lock, a removal, a new plan), undoable."""

    def __init__(self, panel, before: Itinerary | None, after: Itinerary, text: str):
        super().__init__(text)
        self.panel, self.before, self.after = panel, before, after

    def redo(self) -> None:
        self.panel.show_itinerary(self.after)

    def undo(self) -> None:
        self.panel.show_itinerary(self.before)


class PlanTree(QTreeWidget):
    """Days with their stops; stops can be dragged within and between days."""

    orderChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("planTree")
        self.setHeaderLabels(["Stop", "Arrive", "Visit", "Leave", "Travel"])
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled)  # nothing dropped at the top
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def dropEvent(self, event) -> None:
        super().dropEvent(event)
        self.orderChanged.emit()

    def order(self) -> list[list[str]]:
        """Each day's site ids as the tree now shows them."""
        return [[stop.data(0, SiteIdRole) for stop in _children(day)] for day in self._days()]

    def locked(self) -> dict[str, int]:
        """Site ids the traveler locked, with their day."""
        pins: dict[str, int] = {}
        for d, day in enumerate(self._days()):
            for stop in _children(day):
                if stop.checkState(0) == Qt.CheckState.Checked:
                    pins[stop.data(0, SiteIdRole)] = d
        return pins

    def _days(self) -> list[QTreeWidgetItem]:
        """The day items, top to bottom (the top-level items are the invisible root's children)."""
        return _children(self.invisibleRootItem())


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """An item's children in order (child(i) is None only for an index out of range)."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]
