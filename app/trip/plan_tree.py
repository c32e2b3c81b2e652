"""The plan as a tree of days, each a timetable in time order (leave, waits, visits, lunch,
back), whose stops a traveler rearranges by hand; the legend of the days' map colours; and
the undoable edit each change makes."""

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPixmap, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.window.site_model import SiteIdRole
from maps.exports.timetable import Kind, Line, day_lines
from maps.planning.itinerary import DayPlan, Itinerary
from maps.render.routes import day_colour
from sites.opening_hours import UNCONFIRMED_HOURS

#: Columns of the tree: what happens and when (travel has lines of its own between them).
COLUMNS = ("Stop", "Time")


class PlanEdit(QUndoCommand):
    """One change to the plan (a drag, a lock, a removal, a new plan), undoable."""

    def __init__(self, panel, before: Itinerary | None, after: Itinerary, text: str):
        super().__init__(text)
        self.panel, self.before, self.after = panel, before, after

    def redo(self) -> None:
        self.panel.show_itinerary(self.after)

    def undo(self) -> None:
        self.panel.show_itinerary(self.before)


class DayLegend(QLabel):
    """The colour of each day's route on the map, named: "■ Day 1  ■ Day 2 (free)"."""

    def __init__(self, parent=None):
        super().__init__(parent, objectName="dayLegend", wordWrap=True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setToolTip("The colour of each day's route on the map")

    def show_days(self, days: Sequence[DayPlan]) -> None:
        """Name the days' colours (nothing when there is no plan)."""
        self.setText(
            " &nbsp; ".join(
                f'<span style="color: {day_colour(d.index)}; font-size: large">■</span>'
                f"&nbsp;Day&nbsp;{d.index + 1}" + ("&nbsp;(free)" if not d.stops else "")
                for d in days
            )
        )


class _Wrapping(QStyledItemDelegate):
    """Measures a row with its text wrapped to the width it is drawn in (a tree view asks its
    delegate for row heights as if columns had no width, so wrapped names would be cut)."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        tree, depth, parent = self.tree, 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        if tree.isFirstColumnSpanned(index.row(), index.parent()):
            width = tree.viewport().width()
        else:
            width = tree.columnWidth(index.column())
        if index.column() == 0:
            width -= depth * tree.indentation()
        measured = QStyleOptionViewItem(option)
        measured.rect = QRect(0, 0, max(width, 40), 1000)  # a valid rect: its width is what counts
        return super().sizeHint(measured, index)


class PlanTree(QTreeWidget):
    """Days with their timetables; stops can be dragged within and between days (the other
    lines are the plan's to place: it retimes them after every change)."""

    orderChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("planTree")
        self.setHeaderLabels(list(COLUMNS))
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled)  # nothing dropped at the top
        self.setWordWrap(True)  # long site names wrap rather than being cut
        self.setItemDelegate(_Wrapping(self))
        self.legend = DayLegend()
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Wrapped rows take their height from the column's width: measure again when it changes.
        header.sectionResized.connect(self.scheduleDelayedItemsLayout)

    def show_days(self, days: Sequence[DayPlan]) -> None:
        """Show a plan's days, each a timetable in time order, and their colours in the legend."""
        self.legend.show_days(days)
        for day in days:
            head = QTreeWidgetItem(
                [
                    f"Day {day.index + 1}, {day.date:%a %d %b}: {day.start_base.name} → {day.end_base.name}",
                    f"{day.leave:%H:%M}–{day.back:%H:%M}" if day.stops else "",
                ]
            )
            head.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            swatch = QPixmap(12, 12)
            swatch.fill(QColor(day_colour(day.index)))
            head.setIcon(0, swatch)
            head.setToolTip(0, f"Day {day.index + 1} is drawn in this colour on the map")
            if day.flags:
                head.setText(0, head.text(0) + "  ⚠ " + "; ".join(day.flags))
                head.setForeground(0, Qt.GlobalColor.darkRed)
            self.addTopLevelItem(head)
            for line in day_lines(day):
                item = _stop_item(line) if line.kind is Kind.VISIT else _line_item(line)
                head.addChild(item)
                item.setFirstColumnSpanned(line.kind in (Kind.TRAVEL, Kind.FREE))
            head.setExpanded(True)

    def clear(self) -> None:
        """Empty the tree and its legend."""
        super().clear()
        self.legend.clear()

    def dropEvent(self, event) -> None:
        super().dropEvent(event)
        self.orderChanged.emit()

    def order(self) -> list[list[str]]:
        """Each day's site ids as the tree now shows them."""
        return [[stop.data(0, SiteIdRole) for stop in _stops(day)] for day in self._days()]

    def locked(self) -> dict[str, int]:
        """Site ids the traveler locked, with their day."""
        pins: dict[str, int] = {}
        for d, day in enumerate(self._days()):
            for stop in _stops(day):
                if stop.checkState(0) == Qt.CheckState.Checked:
                    pins[stop.data(0, SiteIdRole)] = d
        return pins

    def _days(self) -> list[QTreeWidgetItem]:
        """The day items, top to bottom (the top-level items are the invisible root's children)."""
        return _children(self.invisibleRootItem())


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """An item's children in order (child(i) is None only for an index out of range)."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def _stops(day: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """A day's stop items in order (not its other timetable lines)."""
    return [child for child in _children(day) if child.data(0, SiteIdRole)]


def _stop_item(line: Line) -> QTreeWidgetItem:
    """A visit: draggable, lockable, its full name in the tooltip and its conflicts in red."""
    stop = line.stop
    assert stop is not None
    item = QTreeWidgetItem([f"{line.number}. {line.text}", line.times()])
    item.setData(0, SiteIdRole, stop.site_id)
    item.setFlags(
        Qt.ItemFlag.ItemIsEnabled
        | Qt.ItemFlag.ItemIsSelectable
        | Qt.ItemFlag.ItemIsDragEnabled
        | Qt.ItemFlag.ItemIsUserCheckable
    )
    item.setCheckState(0, Qt.CheckState.Checked if stop.locked else Qt.CheckState.Unchecked)
    item.setToolTip(0, f"{stop.name}\nTick to lock this stop on its day when you re-plan; drag to move it")
    if not stop.hours_confirmed:
        item.setText(0, f"{item.text(0)}\n({stop.UNCONFIRMED})")
        item.setToolTip(0, f"{item.toolTip(0)}\nPlanned on cautious hours ({UNCONFIRMED_HOURS})")
    if stop.flags:
        item.setText(0, item.text(0) + "  ⚠ " + "; ".join(stop.flags))
        item.setForeground(0, Qt.GlobalColor.darkRed)
    return item


def _line_item(line: Line) -> QTreeWidgetItem:
    """A line the plan places (leave, travel, wait, lunch, back, a free day): shown, not dragged."""
    item = QTreeWidgetItem([line.text, line.times()])
    if line.kind is Kind.TRAVEL:
        font = item.font(0)
        font.setItalic(True)
        item.setFont(0, font)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    for column in range(len(COLUMNS)):
        if line.kind is Kind.LUNCH:
            item.setBackground(column, QColor("#fff4e0"))
        else:
            item.setForeground(column, QColor("#555555"))
    return item
