"""Does a file of a given type still parse? Used by the rules' tests and by the QA critic.

Every checker returns ``None`` when the text parses, else a one-line reason. Types without a
grammar (Markdown, plain text, env files...) always pass. Go-templated YAML (Helm templates)
cannot be parsed as YAML; it is checked for balanced template actions and consistent list
structure instead.
"""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import threading
import tomllib
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from agent.discovery.models import SourceType

Checker = Callable[[str], "str | None"]


_THREAD = threading.local()


def per_thread(key: str, factory: Callable[[], Any]) -> Any:
    """One object per thread, made by ``factory`` on first use.

    Tree-sitter parsers and ruamel loaders are not thread-safe, and repositories are
    processed in parallel threads.
    """
    cache: dict[str, Any] = _THREAD.__dict__.setdefault("cache", {})
    if key not in cache:
        cache[key] = factory()
    return cache[key]


def _tolerant_yaml() -> Any:
    return per_thread("yaml", _make_tolerant_yaml)


def _make_tolerant_yaml() -> Any:
    """A safe YAML loader that reads application tags as plain values.

    CloudFormation's ``!Ref``, GitLab's ``!reference``...: the check is about structure, not
    meaning.
    """
    from ruamel.yaml import YAML, nodes
    from ruamel.yaml.constructor import SafeConstructor

    def any_tag(constructor: Any, _suffix: str, node: Any) -> Any:
        if isinstance(node, nodes.ScalarNode):
            return constructor.construct_scalar(node)
        if isinstance(node, nodes.SequenceNode):
            return constructor.construct_sequence(node)
        return constructor.construct_mapping(node)

    class TolerantConstructor(SafeConstructor):
        pass

    TolerantConstructor.add_multi_constructor("!", any_tag)
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = TolerantConstructor
    return yaml


def _yaml(text: str) -> str | None:
    from ruamel.yaml.error import YAMLError

    yaml = _tolerant_yaml()
    try:
        list(yaml.load_all(text))
    except YAMLError as exc:
        return f"invalid YAML: {str(exc).splitlines()[0]}"
    return None


def _json(text: str) -> str | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} at line {exc.lineno}"
    return None


def _hcl(text: str) -> str | None:
    import hcl2

    try:
        hcl2.loads(text)
    except Exception as exc:  # noqa: BLE001 - python-hcl2 raises lark errors of many classes
        return f"invalid HCL: {str(exc).splitlines()[0][:200]}"
    return None


def _xml(text: str) -> str | None:
    import xml.etree.ElementTree as ElementTree

    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as exc:
        return f"invalid XML: {exc}"
    return None


def _python(text: str) -> str | None:
    try:
        compile(text, "<decom>", "exec")
    except SyntaxError as exc:
        return f"invalid Python: {exc.msg} at line {exc.lineno}"
    return None


def _toml(text: str) -> str | None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return f"invalid TOML: {exc}"
    return None


def _ini(text: str) -> str | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.MissingSectionHeaderError:
        return None  # my.cnf fragments and .pgpass-like files have no sections
    except configparser.Error as exc:
        return f"invalid INI: {str(exc).splitlines()[0]}"
    return None


def _shell(text: str) -> str | None:
    done = subprocess.run(
        ["bash", "-n"], input=text.encode(), capture_output=True, check=False, timeout=30
    )
    if done.returncode != 0:
        return "invalid shell: " + done.stderr.decode(errors="replace").strip().splitlines()[0]
    return None


def _parser(language: str) -> Any:
    from tree_sitter_language_pack import get_parser

    return per_thread(f"tree-sitter:{language}", lambda: get_parser(language))  # type: ignore[arg-type]


def _tree_sitter(language: str) -> Checker:
    def check(text: str) -> str | None:
        tree = _parser(language).parse(text.encode())
        if not tree.root_node.has_error:
            return None
        line = _first_error_line(tree.root_node)
        return f"invalid {language}: syntax error near line {line}"

    return check


def _first_error_line(node: Any) -> int:
    stack = [node]
    while stack:
        current = stack.pop(0)
        if current.type == "ERROR" or current.is_missing:
            return int(current.start_point[0]) + 1
        stack.extend(current.children)
    return int(node.start_point[0]) + 1


_ACTION = re.compile(r"\{\{-?|-?\}\}")


def _helm_template(text: str) -> str | None:
    depth = 0
    for token in _ACTION.findall(text):
        depth += 1 if token.startswith("{{") else -1
        if depth not in (0, 1):
            return "unbalanced template action braces"
    if depth:
        return "unbalanced template action braces"
    blocks = len(re.findall(r"\{\{-?\s*(?:if|range|with|define|block)\b", text))
    ends = len(re.findall(r"\{\{-?\s*end\b", text))
    if blocks != ends:
        return f"{blocks} template blocks but {ends} {{{{ end }}}}"
    return None


def _sql(text: str) -> str | None:
    # SQL dialects vary too much for one grammar; only catch the damage rewrites can do.
    stripped = re.sub(r"--[^\n]*|/\*.*?\*/|'(?:''|[^'])*'", "", text, flags=re.DOTALL)
    if stripped.count("(") != stripped.count(")"):
        return "unbalanced parentheses in SQL"
    if re.search(r",\s*\)", stripped) or re.search(r"\(\s*,", stripped):
        return "dangling comma in SQL"
    return None


CHECKERS: dict[SourceType, Checker] = {
    SourceType.YAML_CONFIG: _yaml,
    SourceType.HELM_VALUES: _yaml,
    SourceType.HELM_CHART: _yaml,
    SourceType.KUBERNETES: _yaml,
    SourceType.DOCKER_COMPOSE: _yaml,
    SourceType.CI_GITHUB_ACTIONS: _yaml,
    SourceType.PROMETHEUS: _yaml,
    SourceType.ALERTING_OTHER: _yaml,
    SourceType.HELM_TEMPLATE: _helm_template,
    SourceType.JSON_CONFIG: _json,
    SourceType.GRAFANA: _json,
    SourceType.DATADOG: _json,
    SourceType.TERRAFORM: _hcl,
    SourceType.PYTHON: _python,
    SourceType.TOML: _toml,
    SourceType.INI: _ini,
    SourceType.SHELL: _shell,
    SourceType.SQL: _sql,
    SourceType.JAVA: _tree_sitter("java"),
    SourceType.KOTLIN: _tree_sitter("kotlin"),
    SourceType.GO: _tree_sitter("go"),
    SourceType.JAVASCRIPT: _tree_sitter("javascript"),
    SourceType.TYPESCRIPT: _tree_sitter("tsx"),
    SourceType.POWERSHELL: _tree_sitter("powershell"),
    SourceType.CSHARP: _tree_sitter("csharp"),
    SourceType.XML: _xml,
}


def check_parses(source_type: SourceType, text: str, path: str = "") -> str | None:
    """``None`` if ``text`` parses as ``source_type``, else why not.

    JSON-typed monitoring files and YAML-typed CI files are checked by their container format;
    ``.tfvars`` and ``.hcl`` are HCL; a ``.json`` Grafana dashboard is JSON. Files whose
    type has no grammar pass. Checks that run a program (``bash -n``) are remembered by
    content, and may have been started early (:func:`prefetch`).
    """
    checker = _checker_for(source_type, path)
    if checker is None:
        return None
    if checker is _shell:
        return _PROGRAM_CHECKS.start(text).result()
    return checker(text)


def prefetch(source_type: SourceType, text: str, path: str = "") -> None:
    """Start the check of ``text`` in the background if it runs a program.

    The planner calls this as each file's new text is ready, so ``bash -n`` runs on another
    core while the planning goes on, and the critic finds the answer waiting.
    """
    if _checker_for(source_type, path) is _shell:
        _PROGRAM_CHECKS.start(text)


def _checker_for(source_type: SourceType, path: str) -> Checker | None:
    if source_type in (SourceType.ALERTING_OTHER, SourceType.CI_OTHER, SourceType.PROMETHEUS):
        if path.endswith(".json"):
            return _json
        if not path.endswith((".yml", ".yaml")):
            return None
        return _yaml
    if source_type in (SourceType.GRAFANA, SourceType.DATADOG) and path.endswith((".yml", ".yaml")):
        return _yaml
    return CHECKERS.get(source_type)


class _ProgramChecks:
    """``bash -n`` answers by text, run on two worker threads, the latest few hundred kept.

    A check is a pure function of the text, so an answer (or the error of running it) can be
    reused for the same text: by the critic for what the planner started, by later critic
    iterations for files they did not change.
    """

    def __init__(self, keep: int = 512) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._answers: OrderedDict[str, Future[str | None]] = OrderedDict()
        self._pool: ThreadPoolExecutor | None = None

    def start(self, text: str) -> Future[str | None]:
        with self._lock:
            answer = self._answers.get(text)
            if answer is None:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(2, thread_name_prefix="decom-bash-n")
                answer = self._pool.submit(_shell, text)
                self._answers[text] = answer
                while len(self._answers) > self._keep:
                    self._answers.popitem(last=False)
            return answer


_PROGRAM_CHECKS = _ProgramChecks()
