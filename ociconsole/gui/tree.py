"""The compartment tree: compartments loaded lazily (children fetched on expand), with the
catalog's resource categories under each compartment.

At start the whole compartment hierarchy is also requested in one paged subtree call;
once it has arrived, expanding any compartment is instant. Until then (or if it fails),
each expansion asks for that compartment's children.
"""

from __future__ import annotations

import logging

from .. import catalog
from ..catalog.model import group_icon
from ..core.errors import OciError
from ..i18n import t as ct
from ..services import identity as idsvc
from . import aio
from .icons import icon
from .qt import QAbstractItemModel, QModelIndex, QObject, Qt, QtCore, Signal

log = logging.getLogger(__name__)

NODE_ROLE = Qt.ItemDataRole.UserRole + 1


translate = QtCore.QCoreApplication.translate  # (context, text): lupdate finds the literal calls


class Node:
    __slots__ = ("type", "parent", "children", "compartment", "compartment_id", "label", "entry", "_kind",
                 "loaded", "loading", "error", "is_root")

    def __init__(self, type_: str, parent: Node | None, label: str, compartment=None, compartment_id: str = "",
                 entry=None, is_root: bool = False):
        self.type = type_  # "compartment" | "group" | "category" | "placeholder"
        self.parent = parent
        self.children: list[Node] = []
        self.compartment = compartment
        self.compartment_id = compartment_id
        self.label = label
        self.entry = entry  # a category's catalog.index.KindEntry (id, label, icon: what the tree shows)
        self._kind = None
        self.loaded = False
        self.loading = False
        self.error: str | None = None
        self.is_root = is_root

    @property
    def kind(self):
        """A category's resource kind (catalog.model.ResourceKind): its module is imported on first use."""
        if self._kind is None and self.entry is not None:
            self._kind = catalog.kind(self.entry.id)
        return self._kind

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0

    @property
    def compartment_children(self) -> list[Node]:
        return [c for c in self.children if c.type == "compartment"]


class CompartmentTreeModel(QAbstractItemModel):
    loadFailed = Signal(object)  # OciError
    childrenLoaded = Signal(str)  # compartment id

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.session = None
        self._root = Node("invisible", None, "")
        self._by_id: dict[str, Node] = {}
        self._subtree: dict[str, list] | None = None
        self._parents: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._tasks = aio.TaskGroup()
        self.generation = 0

    # ------------------------------------------------------------ setup
    def set_session(self, session, tenancy) -> None:
        """Start over for a connection: the tenancy (root compartment) as the top node."""
        self._tasks.cancel_all()
        self.generation += 1
        self.beginResetModel()
        self.session = session
        self._root = Node("invisible", None, "")
        self._by_id = {}
        self._subtree = None
        self._parents = {}
        self._names = {tenancy.id: tenancy.name}
        top = self._make_compartment(self._root, tenancy, is_root=True)
        self._root.children.append(top)
        self.endResetModel()
        if session is not None:
            self._tasks.replace("subtree", self._load_subtree(self.generation))

    def set_root(self, tenancy) -> None:
        """The tenancy's record arrived (the subtree may be loading meanwhile): show its name."""
        root = self.root_node
        if root is None:
            return
        root.compartment = tenancy
        root.label = tenancy.name
        self._names[tenancy.id] = tenancy.name
        idx = self.index_of(root)
        self.dataChanged.emit(idx, idx)

    def _make_compartment(self, parent: Node, comp, is_root: bool = False) -> Node:
        node = Node("compartment", parent, comp.name, compartment=comp, compartment_id=comp.id, is_root=is_root)
        for group, kinds in catalog.groups(at_root=is_root):
            g = Node("group", node, group, compartment_id=comp.id)
            g.loaded = True
            for k in kinds:
                c = Node("category", g, k.label, compartment_id=comp.id, entry=k)
                c.loaded = True
                g.children.append(c)
            node.children.append(g)
        self._by_id[comp.id] = node
        return node

    def set_failed(self, text: str) -> None:
        """The tenancy could not be opened (credentials refused...): the top node says why, not "Loading…",
        and asks for nothing more until the connection changes."""
        root = self.root_node
        if root is None:
            return
        root.label = text
        root.error = text
        root.loaded = True
        idx = self.index_of(root)
        self.dataChanged.emit(idx, idx)

    @property
    def root_node(self) -> Node | None:
        return self._root.children[0] if self._root.children else None

    @property
    def subtree_loaded(self) -> bool:
        return self._subtree is not None

    async def _load_subtree(self, generation: int) -> None:
        try:
            tree = await idsvc.compartment_tree(self.session)
        except OciError as e:
            log.info("subtree load failed (%s); expanding per compartment", e.summary())
            if generation == self.generation:  # the expansions that waited for it ask for their own children
                for node in list(self._by_id.values()):
                    if node.loading:
                        self._tasks.replace(f"children:{node.compartment_id}",
                                            self._load_children(node, generation))
            return
        if generation != self.generation:
            return
        self._subtree = tree
        for parent, children in tree.items():
            for c in children:
                self._parents[c.id] = parent
                self._names[c.id] = c.name
        # nodes that were waiting for a per-compartment load can be filled now
        for node in list(self._by_id.values()):
            if node.loading:
                self._fill(node, tree.get(node.compartment_id, []))

    # ------------------------------------------------------------ Qt model
    def node(self, index: QModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        p = self.node(parent)
        if 0 <= row < len(p.children) and column == 0:
            return self.createIndex(row, 0, p.children[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        n = index.internalPointer()
        p = n.parent
        if p is None or p is self._root:
            return QModelIndex()
        return self.createIndex(p.row(), 0, p)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        n = self.node(parent)
        if n.type in ("compartment", "group", "invisible"):
            return True
        return False

    def canFetchMore(self, parent: QModelIndex) -> bool:
        n = self.node(parent)
        return n.type == "compartment" and not n.loaded and not n.loading

    def fetchMore(self, parent: QModelIndex) -> None:
        n = self.node(parent)
        if n.type != "compartment" or n.loaded or n.loading:
            return
        if self._subtree is not None:
            self._fill(n, self._subtree.get(n.compartment_id, []))
            return
        n.loading = True
        if self._tasks.running("subtree"):
            return  # the whole hierarchy is on its way (one request): filled when it arrives
        self._tasks.replace(f"children:{n.compartment_id}", self._load_children(n, self.generation))

    async def _load_children(self, n: Node, generation: int) -> None:
        try:
            children = await idsvc.list_compartments(self.session, n.compartment_id)
        except OciError as e:
            if generation == self.generation:
                n.loading = False
                n.error = e.summary()
                self.loadFailed.emit(e)
            return
        if generation == self.generation and n.loading:
            self._fill(n, children)

    def _fill(self, n: Node, children: list) -> None:
        if n.loaded:
            return
        n.loading = False
        n.loaded = True
        n.error = None
        if children:
            idx = self.createIndex(n.row(), 0, n)
            first = len(n.children)
            self.beginInsertRows(idx, first, first + len(children) - 1)
            for c in children:
                self._parents.setdefault(c.id, n.compartment_id)
                n.children.append(self._make_compartment(n, c))
            self.endInsertRows()
        self.childrenLoaded.emit(n.compartment_id)

    # ------------------------------------------------------------ changes made in this console
    def compartment_changed(self, comp) -> None:
        """A compartment created, renamed, moved or deleted (`catalog.model.Gone` or DELETED) in this
        console: the tree follows at once (and the cached hierarchy with it)."""
        from ..catalog.model import Gone
        cid = getattr(comp, "id", None)
        root = self.root_node
        if not cid or root is None:
            return
        node = self._by_id.get(cid)
        if isinstance(comp, Gone) or getattr(comp, "lifecycle_state", "") in ("DELETED", "DELETING"):
            old_parent = self._parents.pop(cid, None)
            if self._subtree is not None and old_parent is not None:
                self._subtree[old_parent] = [c for c in self._subtree.get(old_parent, []) if c.id != cid]
            if node is not None and not node.is_root:
                self._remove_node(node)
            return
        if node is not None and node.is_root:
            self.set_root(comp)
            return
        parent_id = getattr(comp, "compartment_id", None)
        if not parent_id:
            return
        self._names[cid] = comp.name
        old_parent = self._parents.get(cid)
        if self._subtree is not None:
            if old_parent is not None and old_parent != parent_id:
                self._subtree[old_parent] = [c for c in self._subtree.get(old_parent, []) if c.id != cid]
            siblings = [c for c in self._subtree.get(parent_id, []) if c.id != cid] + [comp]
            self._subtree[parent_id] = sorted(siblings, key=lambda c: c.name.lower())
        self._parents[cid] = parent_id
        if node is not None and node.parent is not None and node.parent.compartment_id != parent_id:
            self._remove_node(node)  # moved: it is shown again under its new parent
            node = None
        if node is not None:  # renamed, described anew, or a state change
            node.compartment = comp
            node.label = comp.name
            idx = self.index_of(node)
            self.dataChanged.emit(idx, idx)
            return
        parent = self._by_id.get(parent_id)
        if parent is None or not parent.loaded:
            return  # shown when the parent's children are loaded
        comps = parent.compartment_children
        pos = len(parent.children) - len(comps)  # compartments follow the category groups, by name
        for c in comps:
            if c.label.lower() > comp.name.lower():
                break
            pos += 1
        self.beginInsertRows(self.index_of(parent), pos, pos)
        parent.children.insert(pos, self._make_compartment(parent, comp))
        self.endInsertRows()

    def _remove_node(self, node: Node) -> None:
        parent = node.parent
        if parent is None or node not in parent.children:
            return
        row = parent.children.index(node)
        self.beginRemoveRows(self.index_of(parent), row, row)
        del parent.children[row]
        self.endRemoveRows()

        def forget(n: Node) -> None:
            if n.type == "compartment" and self._by_id.get(n.compartment_id) is n:
                del self._by_id[n.compartment_id]
            for c in n.children:
                forget(c)
        forget(node)

    def reload(self, comp_id: str) -> None:
        """Ask again for a compartment's child compartments (F5) and show what changed."""
        n = self._by_id.get(comp_id)
        if n is None or self.session is None or n.loading:
            return
        self._tasks.replace(f"reload:{comp_id}", self._reload(n, self.generation))

    async def _reload(self, n: Node, generation: int) -> None:
        try:
            children = await idsvc.list_compartments(self.session, n.compartment_id)
        except OciError as e:
            if generation == self.generation:
                n.error = e.summary()
                self.loadFailed.emit(e)
            return
        if generation != self.generation or self._by_id.get(n.compartment_id) is not n:
            return
        if self._subtree is not None:
            self._subtree[n.compartment_id] = list(children)
        if not n.loaded:
            self._fill(n, children)
            return
        n.error = None
        fresh = {c.id for c in children}
        for child in list(n.compartment_children):
            if child.compartment_id not in fresh:
                self._remove_node(child)
        for c in children:
            self.compartment_changed(c)
        self.childrenLoaded.emit(n.compartment_id)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        n: Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            if n.type == "compartment" and n.loading:
                return translate("TreeModel", "{name}  (loading…)").format(name=n.label)
            return ct(n.label) if n.type in ("group", "category") else n.label
        if role == Qt.ItemDataRole.DecorationRole:
            if n.type == "compartment":
                if n.is_root and n.error:
                    return icon("warning")
                return icon("tenancy" if n.is_root else "compartment")
            if n.type == "group":
                return icon(group_icon(n.label))
            if n.type == "category":
                return icon(n.entry.icon)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if n.type == "compartment":
                desc = getattr(n.compartment, "description", "") or ""
                tip = f"{n.label}\n{n.compartment_id}"
                if desc:
                    tip += f"\n{desc}"
                if n.error:
                    tip += "\n\n" + translate("TreeModel", "Could not load child compartments: {error}").format(
                        error=n.error)
                return tip
            if n.type == "category":
                return translate("TreeModel", "{kinds} in {compartment}").format(kinds=ct(n.entry.label),
                                                              compartment=self._compartment_name(n.compartment_id))
            return None
        if role == NODE_ROLE:
            return n
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ------------------------------------------------------------ lookups
    def _compartment_name(self, comp_id: str) -> str:
        n = self._by_id.get(comp_id)
        return n.label if n else comp_id

    def name_of(self, comp_id: str) -> str | None:
        n = self._by_id.get(comp_id)
        return n.label if n is not None else self._names.get(comp_id)

    def compartment_node(self, comp_id: str) -> Node | None:
        return self._by_id.get(comp_id)

    def index_of(self, node: Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def category_index(self, comp_id: str, kind_id: str) -> QModelIndex:
        n = self._by_id.get(comp_id)
        if n is None:
            return QModelIndex()
        for g in n.children:
            for c in g.children:
                if c.type == "category" and c.entry.id == kind_id:
                    return self.index_of(c)
        return QModelIndex()

    def path_to(self, comp_id: str) -> list[str] | None:
        """Compartment ids from the root down to `comp_id`, if the hierarchy is known."""
        root = self.root_node
        if root is None:
            return None
        path = [comp_id]
        cur = comp_id
        while cur != root.compartment_id:
            parent = self._parents.get(cur)
            if parent is None:
                return None
            path.append(parent)
            cur = parent
        return list(reversed(path))

    def reveal(self, comp_id: str) -> QModelIndex:
        """Load the nodes along the path to `comp_id` (subtree must be known) and return its index."""
        path = self.path_to(comp_id)
        if path is None:
            return QModelIndex()
        for cid in path[:-1]:
            n = self._by_id.get(cid)
            if n is None:
                return QModelIndex()
            if not n.loaded and self._subtree is not None:
                self._fill(n, self._subtree.get(cid, []))
        n = self._by_id.get(comp_id)
        return self.index_of(n) if n else QModelIndex()

    def all_compartments(self) -> list:
        """Every known compartment (root first, then depth-first), with depth — for pickers."""
        out: list[tuple[object, int]] = []
        root = self.root_node
        if root is None:
            return out
        if self._subtree is not None:
            def walk(cid: str, depth: int):
                for c in self._subtree.get(cid, []):
                    out.append((c, depth))
                    walk(c.id, depth + 1)
            out.append((root.compartment, 0))
            walk(root.compartment_id, 1)
            return out

        def walk_nodes(n: Node, depth: int):
            out.append((n.compartment, depth))
            for c in n.compartment_children:
                walk_nodes(c, depth + 1)
        walk_nodes(root, 0)
        return out
