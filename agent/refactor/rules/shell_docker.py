r"""Rewriting Dockerfiles.

``ENV``/``ARG``/``LABEL`` lose the ``key=value`` pairs about the database (the whole
instruction is commented out when nothing else is left), a ``RUN`` loses its ``&&`` steps
about the database or is commented out as a whole, ``COPY``/``ADD`` lose a source. Later
instructions that use a key removed that way dangle and are handled the same way.
Instructions that decide what the image is (``FROM``, ``CMD``, ``ENTRYPOINT``...) go to a
human.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.refactor.base import body, line_ending, remove_spans
from agent.refactor.rules.script_edits import LinePlan, Refs, blank, mark_comment
from agent.refactor.rules.shell_words import continued, word_spans

#: Upper bound on decide/propagate rounds (each round can only add dangling names).
_ROUNDS = 50


@dataclass
class _Instruction:
    first: int
    last: int
    keyword: str
    comments: list[int]


_PAIRS = frozenset({"ENV", "ARG", "LABEL"})
_HUMAN = frozenset(
    "FROM CMD ENTRYPOINT USER WORKDIR VOLUME EXPOSE HEALTHCHECK SHELL ONBUILD STOPSIGNAL".split()
)


class DockerRewriter:
    """The analysis of one Dockerfile."""

    def __init__(self, lines: list[str], refs: Refs, plan: LinePlan) -> None:
        self.lines, self.refs, self.plan = lines, refs, plan
        self.escape = "\\"
        for line in lines:
            directive = re.match(r"^#\s*escape\s*=\s*(\S)", body(line))
            if directive:
                self.escape = directive.group(1)
            if not body(line).startswith("#"):
                break
        self.instructions = self._parse()

    def _parse(self) -> list[_Instruction]:
        found: list[_Instruction] = []
        i, n = 0, len(self.lines)
        while i < n:
            text = body(self.lines[i])
            if blank(text) or text.lstrip().startswith("#"):
                i += 1
                continue
            keyword = text.split()[0].upper()
            inst = _Instruction(i, i, keyword, [])
            heredoc = re.search(r"<<-?\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1", text)
            while continued(body(self.lines[inst.last]), self.escape) and inst.last + 1 < n:
                inst.last += 1
                while inst.last + 1 < n and (
                    body(self.lines[inst.last]).lstrip().startswith("#")
                    or blank(self.lines[inst.last])
                ):
                    inst.comments.append(inst.last)
                    inst.last += 1
            if heredoc and keyword in ("RUN", "COPY"):
                while inst.last + 1 < n and body(self.lines[inst.last]).strip() != heredoc.group(2):
                    inst.last += 1
            found.append(inst)
            i = inst.last + 1
        return found

    def _code(self, inst: _Instruction) -> list[int]:
        return [i for i in range(inst.first, inst.last + 1) if i not in inst.comments]

    def run(self) -> None:
        """Decide until no new ``ENV``/``ARG`` key dangles."""
        dangling: set[str] = set()
        for _ in range(_ROUNDS):
            self.plan.decisions.clear()
            self.plan.human.clear()
            dead = self._decide(dangling)
            if dead <= dangling:
                break
            dangling |= dead  # only grows, so the rounds end
        for i, line in enumerate(self.lines):
            text = body(line)
            if not self.plan.gone(i) and text.lstrip().startswith("#") and self.refs.any(text):
                col = len(text) - len(text.lstrip())
                self.plan.replace(i, mark_comment(line, col, self.plan.database), False)

    def _hit(self, text: str, dangling: set[str]) -> bool:
        return self.refs.any(text) or any(
            re.search(rf"\$\{{?{re.escape(n)}\b", text) for n in dangling
        )

    def _decide(self, dangling: set[str]) -> set[str]:
        dead: set[str] = set()
        for inst in self.instructions:
            code = self._code(inst)
            if not any(self._hit(body(self.lines[i]), dangling) for i in code):
                continue
            if inst.keyword in _PAIRS:
                dead |= self._pairs(inst, code, dangling)
            elif inst.keyword == "RUN":
                self._run(inst, code, dangling)
            elif inst.keyword in ("COPY", "ADD") and not self._sources(inst, dangling):
                self.plan.comment(range(inst.first, inst.last + 1))
            elif inst.keyword in _HUMAN:
                self.plan.ask(inst.first, f"a {inst.keyword} instruction names the database")
            elif inst.keyword not in ("COPY", "ADD"):
                self.plan.comment(range(inst.first, inst.last + 1))
        return dead

    def _pairs(self, inst: _Instruction, code: list[int], dangling: set[str]) -> set[str]:
        words: dict[int, list[tuple[int, int]]] = {}
        for i in code:
            text = body(self.lines[i])
            start = len(text) - len(text.lstrip()) + len(inst.keyword) if i == inst.first else 0
            end = len(text.rstrip())
            if continued(text, self.escape):
                end -= 1
            words[i] = word_spans(text, start, end)
        flat = [(i, w) for i, ws in words.items() for w in ws]
        keys = {body(self.lines[i])[a:b].split("=")[0] for i, (a, b) in flat}
        hits = [(i, w) for i, w in flat if self._hit(body(self.lines[i])[w[0] : w[1]], dangling)]
        legacy = (
            inst.keyword == "ENV"
            and flat
            and "=" not in body(self.lines[flat[0][0]])[flat[0][1][0] : flat[0][1][1]]
        )
        if legacy or len(hits) == len(flat):
            self.plan.comment(range(inst.first, inst.last + 1))
            return keys
        gone_keys = {body(self.lines[i])[a:b].split("=")[0] for i, (a, b) in hits}
        for i, ws in words.items():
            mine = [w for j, w in hits if j == i]
            if not mine:
                continue
            if len(mine) == len(ws) and i != inst.first:
                self.plan.delete([i])
                continue
            new = remove_spans(body(self.lines[i]), mine, " ")
            if new is None:
                self.plan.ask(i, "cannot remove the database's pair from this instruction")
                return set()
            self.plan.replace(i, new + line_ending(self.lines[i]))
        self._close_continuation(code)
        return gone_keys

    def _close_continuation(self, code: list[int]) -> None:
        """Drop a trailing escape (and ``&&``) left on the instruction's new last line."""
        live = [i for i in code if not self.plan.gone(i)]
        if not live or live[-1] == code[-1]:
            return
        last = live[-1]
        text = body(self.plan.current(last))
        new = re.sub(rf"\s*(?:&&|\|\||;)?\s*{re.escape(self.escape)}\s*$", "", text)
        self.plan.replace(last, new + line_ending(self.lines[last]))

    def _run(self, inst: _Instruction, code: list[int], dangling: set[str]) -> None:
        segments: list[list[int]] = []
        for k, i in enumerate(code):
            text = body(self.lines[i]).strip()
            previous = body(self.lines[code[k - 1]]).rstrip().removesuffix(self.escape).rstrip()
            if not segments or text.startswith(("&&", "||", ";")) or previous.endswith(("&&", ";")):
                segments.append([i])
            else:
                segments[-1].append(i)
        hit = [any(self._hit(body(self.lines[i]), dangling) for i in s) for s in segments]
        if all(hit):
            self.plan.comment(range(inst.first, inst.last + 1))
            return
        inner = re.compile(r"\S\s*(?:&&|\|\||;)\s*\S")
        for segment, is_hit in zip(segments, hit, strict=True):
            if not is_hit:
                continue
            shared = any(inner.search(self._step(body(self.lines[i]))) for i in segment)
            if segment is segments[0] or shared:
                self.plan.ask(inst.first, "a RUN step about the database shares its line")
                return
        for segment, is_hit in zip(segments, hit, strict=True):
            if is_hit:
                self.plan.delete(segment)
        self._close_continuation(code)

    def _step(self, text: str) -> str:
        """A RUN line without its leading/trailing ``&&`` and continuation escape."""
        text = text.strip().removesuffix(self.escape).strip()
        return re.sub(r"^(?:&&|\|\||;)\s*|\s*(?:&&|\|\||;)$", "", text)

    def _sources(self, inst: _Instruction, dangling: set[str]) -> bool:
        """Remove the database's sources from a one-line COPY/ADD; False if not possible."""
        if inst.first != inst.last:
            return False
        text = body(self.lines[inst.first])
        start = len(text) - len(text.lstrip()) + len(inst.keyword)
        words = [w for w in word_spans(text, start) if not text[w[0] : w[1]].startswith("--")]
        if len(words) < 3 or text.rstrip().endswith("]"):
            return False
        sources = words[:-1]
        hits = [w for w in sources if self._hit(text[w[0] : w[1]], dangling)]
        if self._hit(text[words[-1][0] : words[-1][1]], dangling) or len(hits) == len(sources):
            return False
        new = remove_spans(text, hits, " ")
        if new is None:
            return False
        self.plan.replace(inst.first, new + line_ending(self.lines[inst.first]))
        return True
