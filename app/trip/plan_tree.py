"""The plan as a tree of days and stops that a traveler rearranges by hand, and the undoable
edit each change makes."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget

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
        days = []
        for d in range(self.topLevelItemCount()):
            day = self.topLevelItem(d)
            days.append([day.child(i).data(0, SiteIdRole) for i in range(day.childCount())])
        return days

    def locked(self) -> dict[str, int]:
        """Site ids the traveler locked, with their day."""
        pins = {}
        for d in range(self.topLevelItemCount()):
            day = self.topLevelItem(d)
            for i in range(day.childCount()):
                if day.child(i).checkState(0) == Qt.CheckState.Checked:
                    pins[day.child(i).data(0, SiteIdRole)] = d
        return pins
