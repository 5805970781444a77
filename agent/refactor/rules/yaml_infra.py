"""Policies for infrastructure YAML: docker-compose, Kubernetes manifests, Helm values.

- compose: a service named after the database (or an alias), or a database-image service
  whose definition names it, goes; so do its named volumes nobody else mounts. Other
  services lose it from ``depends_on``, ``links`` and ``environment`` through the generic
  rules, since the removed service name becomes a reference for the rest of the file.
- Kubernetes (and Helm templates): a document whose ``metadata.name`` is a reference goes
  whole, and its name becomes a reference (``secretKeyRef.name``); init containers that touch
  the database go; a pod volume that goes takes its mounts along and the other way round.
  Top-level keys of a manifest are never removed, only emptied.
- Helm templates: a block whose condition is only a reference goes (it no longer renders).
- Helm charts: a ``Chart.yaml`` whose name is a reference goes whole.
- Helm values: keys named in ``removed_symbols`` as ``.Values.x.y`` go.
"""

from __future__ import annotations

import re

from agent.discovery.aliases.context import is_distinctive
from agent.refactor.rules.yaml_lines import Document, Node, NodeKind, Style
from agent.refactor.rules.yaml_text import edit_scalar_list
from agent.refactor.rules.yaml_walk import Policy, Verdict, Walker

_DB_IMAGE = re.compile(
    r"postgres|postgis|timescale|mysql|mariadb|mongo|cockroach|pgbouncer|mssql|oracle|percona"
    r"|supabase|yugabyte",
    re.IGNORECASE,
)
_DB_WORDS = frozenset(
    "db database postgres postgresql pg mysql mariadb mongo mongodb sql rds pgbouncer".split()
)
_DEDICATED_KINDS = frozenset(
    "Service Secret ExternalSecret SealedSecret StatefulSet Endpoints PersistentVolumeClaim "
    "Database Cluster PostgresCluster postgresql".split()
)


def dedicated_service(walker: Walker, node: Node) -> bool:
    """Whether a compose service or CI service container exists for the database.

    Named after it, or a database server (by image or name) one of whose settings is the
    database alone (``POSTGRES_DB: payroll_ledger``). A server that also hosts others
    (``POSTGRES_MULTIPLE_DATABASES: orders,payroll_ledger``) stays and loses the element.
    """
    if walker.key_hit(node):
        return True
    words = set(re.split(r"[-_.]", (node.key or "").lower()))
    if not (_DB_IMAGE.search(walker.entry(node, "image")) or words & _DB_WORDS):
        return False
    for leaf in node.walk()[1:]:
        if leaf.style in (Style.PLAIN, Style.QUOTED) and walker.value_hit(leaf):
            if edit_scalar_list(leaf.value, walker.plan.refs) in (None, ""):
                return True
    return False


def _skeleton(value: str) -> str:
    """The punctuation of a value (``host:region:name?port=1`` -> ``::?=``)."""
    return re.sub(r"[A-Za-z0-9_.-]+", "", value)


def _shared_targets(walker: Walker, container: Node) -> list[Node]:
    """The database's own argument items, when the container serves several databases.

    Siblings of the same shape (``project:region:instance?port=N``) naming other targets
    mean the container is shared; ``[]`` when it is not.
    """
    for node in container.walk()[1:]:
        if node.kind is not NodeKind.KEY or node.key not in ("args", "command"):
            continue
        items = [i for i in node.items() if i.style in (Style.PLAIN, Style.QUOTED)]
        hits = [i for i in items if walker.value_hit(i) and " " not in i.value.strip()]
        if not hits:
            continue
        shapes = {_skeleton(i.value) for i in hits}
        others = [i for i in items if i not in hits and _skeleton(i.value) in shapes]
        if others and _skeleton(hits[0].value):
            return hits
    return []


class ComposePolicy(Policy):
    """docker-compose files."""

    def __init__(self, always: bool) -> None:
        self.always = always
        self.active = always
        self.volumes: set[str] = set()

    def document(self, walker: Walker, document: Document) -> bool:
        """Recognise a compose document (by type, or by services that run images)."""
        services = document.root.child("services")
        self.active = self.always or (
            services is not None
            and any(s.child("image") or s.child("build") for s in services.mapping())
        )
        return False

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """Services dedicated to the database go; the rest is walked generically."""
        path = node.path()
        if not self.active or node.kind is not NodeKind.KEY or len(path) != 2:
            return None
        if path[0] != "services":
            return None
        if dedicated_service(walker, node):
            name = node.key or ""
            walker.plan.learned.add(name)
            # A generic name ("db") would match every file of the repository in the cascade.
            if is_distinctive(name) and name not in walker.plan.removed_symbols:
                walker.plan.removed_symbols.append(name)
            self.volumes |= _named_volumes(walker, node)
            return Verdict.DELETE
        return Verdict.RECURSE

    def finish(self, walker: Walker) -> None:
        """Remove top-level named volumes only removed services mounted."""
        plan = walker.plan
        for document in plan.outline.documents if self.active else ():
            volumes = document.root.child("volumes")
            services = document.root.child("services")
            if volumes is None or plan.is_gone(volumes):
                continue
            in_use: set[str] = set()
            if services is not None:
                for service in services.mapping():
                    if not plan.is_gone(service):
                        in_use |= _named_volumes(walker, service)
            for volume in volumes.mapping():
                if volume.key in self.volumes and volume.key not in in_use:
                    plan.delete(volume)


def _named_volumes(walker: Walker, service: Node) -> set[str]:
    """Named volumes (not bind mounts) a compose service mounts."""
    found: set[str] = set()
    mounts = service.child("volumes")
    if mounts is None:
        return found
    for item in mounts.items():
        source = walker.entry(item, "source") if item.style is Style.NONE else item.value
        source = source.strip("\"'").split(":", 1)[0]
        if source and not source.startswith((".", "/", "~", "$")):
            found.add(source)
    return found


class KubernetesPolicy(Policy):
    """Kubernetes manifests and Helm templates."""

    def document(self, walker: Walker, document: Document) -> bool:
        """Remove a document dedicated to the database; protect top-level keys of the rest."""
        root = document.root
        plan = walker.plan
        if root.child("apiVersion") is None or root.child("kind") is None:
            return False
        metadata = root.child("metadata")
        name = walker.entry(metadata, "name") if metadata is not None else ""
        kind = walker.entry(root, "kind")
        spec = root.child("spec")
        external = walker.entry(spec, "externalName") if spec is not None else ""
        dedicated = bool(name) and plan.refs.hit(name)
        if kind in _DEDICATED_KINDS and external and plan.refs.hit(external):
            dedicated = True
        if dedicated:
            plan.delete_document(document)
            if is_distinctive(name):
                plan.learned.add(name)
                if name not in plan.removed_symbols:
                    plan.removed_symbols.append(name)
            return True
        plan.protected.update(c for c in root.children if c.kind is NodeKind.KEY)
        return False

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """Init containers that touch the database exist for it: they go whole.

        Except a shared one, such as a Cloud SQL proxy listing several instances in its
        ``args``: there only the database's own argument goes.
        """
        if node.kind is NodeKind.ITEM and node.path()[-2:] == ("initContainers", "-"):
            if not walker.subtree_hit(node):
                return Verdict.RECURSE
            shared = _shared_targets(walker, node)
            if not shared:
                return Verdict.DELETE
            for item in shared:
                walker.plan.delete(item)
            return Verdict.KEEP
        return None

    def finish(self, walker: Walker) -> None:
        """A removed pod volume takes its mounts along, and a volume nobody mounts goes."""
        plan = walker.plan
        for document in plan.outline.documents:
            nodes = document.root.walk()
            volumes = [i for n in nodes if n.key == "volumes" for i in n.items()]
            mounts = [i for n in nodes if n.key == "volumeMounts" for i in n.items()]
            gone_volumes = {walker.entry(v, "name") for v in volumes if plan.is_gone(v)}
            for mount in mounts:
                if walker.entry(mount, "name") in gone_volumes - {""}:
                    plan.delete(mount)
            gone_mounts = {walker.entry(m, "name") for m in mounts if plan.is_gone(m)}
            kept_mounts = {walker.entry(m, "name") for m in mounts if not plan.is_gone(m)}
            for volume in volumes:
                name = walker.entry(volume, "name")
                if name and name in gone_mounts and name not in kept_mounts:
                    plan.delete(volume)


_CONDITION = re.compile(r"^\{\{-?\s*(if|with|range)\s+(.*?)\s*-?\}\}$")


class TemplatePolicy(Policy):
    """Go-templated YAML: a block conditioned on a reference alone never renders any more.

    ``{{- if .Values.ledger.host }}`` or ``{{- with .Values.ledger }}`` on a value that is
    gone is false, so the block and its content go. Any other condition naming the database
    (``not``, ``and``, an ``else`` branch) is left to a person.
    """

    def begin(self, walker: Walker) -> None:
        """Remove the blocks whose condition is only a reference."""
        plan = walker.plan
        for start, middles, end in plan.control_pairs():
            text = plan.outline.bodies[start].strip()
            if not plan.refs.hit(text):
                continue
            m = _CONDITION.match(text)
            spans = plan.refs.spans(m.group(2)) if m else []
            if m is None or middles or spans != [(0, len(m.group(2)))]:
                plan.note(start, "a template condition names the database; edit it by hand")
                continue
            plan.deleted.update(range(start, end + 1))
            for node in plan.outline.nodes():
                if start < node.start < end:
                    plan.gone.add(node)
                    if node.parent is not None:
                        plan.mark_emptied(node.parent)


class HelmChartPolicy(Policy):
    """``Chart.yaml``: a chart named after the database is the database's."""

    def document(self, walker: Walker, document: Document) -> bool:
        """Remove the whole chart file when its name is a reference."""
        name = walker.entry(document.root, "name")
        if name and walker.plan.refs.hit(name):
            walker.plan.delete_document(document)
            return True
        return False


class HelmValuesPolicy(Policy):
    """Helm values files: keys other files' rewrites removed as ``.Values.x.y`` go."""

    def __init__(self, symbols: frozenset[str]) -> None:
        self.paths = {
            tuple(s[len(".Values.") :].split("."))
            for s in symbols
            if s.startswith(".Values.") and len(s) > len(".Values.")
        }

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """Delete a key whose ``.Values`` path (or a parent path) was removed."""
        if node.kind is not NodeKind.KEY or not self.paths:
            return None
        path = node.path()
        if "-" in path:
            return None
        if any(path[: len(p)] == p for p in self.paths if len(p) <= len(path)):
            return Verdict.DELETE
        return None


def helm_value_paths(walker: Walker) -> list[str]:
    """``.Values.x.y`` of every key the plan removed from a values file."""
    found: list[str] = []
    for node in walker.plan.outline.nodes():
        if node.kind is not NodeKind.KEY or not walker.plan.is_gone(node):
            continue
        path = node.path()
        if all(re.fullmatch(r"[A-Za-z_]\w*", p) for p in path):
            symbol = ".Values." + ".".join(path)
            if symbol not in found:
                found.append(symbol)
    return found
