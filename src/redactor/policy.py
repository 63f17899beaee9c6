"""Policy: which kinds are on, how each is masked, what each means for the file's verdict.

Defaults live here; a TOML file (``redactor.toml`` or ``[tool.redactor]`` in pyproject.toml)
or the API overrides them. Every invalid key is reported with the key and the file.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import regex

from .errors import ConfigError
from .findings import KINDS, Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Verdict levels, ordered: a file's verdict is the highest of its findings'.
PUBLISH, REDACT, BLOCK = "publish", "redact", "block"
INFO = "info"  # a finding that is reported but changes nothing
BY_VALUE = "by_value"  # kinds.toml: the verdict depends on the finding's value (disclosure attribute)
ERROR = "error"  # file verdict only: could not be read or verified
VERDICT_ORDER = {PUBLISH: 0, INFO: 0, REDACT: 1, BLOCK: 2, ERROR: 3}
OPERATOR_NAMES = ("mask", "label", "pseudonym", "generalize", "hmac", "remove", "keep")


@dataclass(frozen=True)
class KindPolicy:
    enabled: bool = True
    operator: str = "mask"       # see redactor/operators.py
    verdict: str = REDACT        # redact | block | info
    threshold: float | None = None  # None: the policy-wide threshold


@lru_cache(maxsize=None)  # called for every finding; the kinds table is read once
def _default_kind_policy(kind: str) -> KindPolicy:
    """The kind's row in patterns/kinds.toml; an unknown kind gets the strictest default."""
    info = KINDS.get(kind)
    if info is None:
        return KindPolicy(operator="mask", verdict=REDACT)
    return KindPolicy(operator=info.operator, verdict=info.verdict)


# Disclosure attribute (公开属性) values -> verdict. 此件删减后公开 means "publish after redaction".
DEFAULT_DISCLOSURE = {
    "公开发布": PUBLISH,
    "主动公开": PUBLISH,
    "删减后公开": REDACT,
    "依申请公开": BLOCK,
    "不公开": BLOCK,
    "不予公开": BLOCK,
}

@dataclass(frozen=True)
class Policy:
    threshold: float = 0.5
    kinds: Mapping[str, KindPolicy] = field(default_factory=dict)
    allow: tuple[str, ...] = ()           # exact values never reported (e.g. an office phone)
    allow_regex: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()            # exact terms always masked (kind 'sensitive_term' if not personal)
    deny_regex: tuple[str, ...] = ()
    hmac_key: str | None = None
    officials: str = "keep"               # keep | mask: names of officials acting in their role
    disclosure: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_DISCLOSURE))
    names: bool = True                    # run the person/address detectors (slower)
    sensitive_terms: tuple[str, ...] = ()  # paths of user term lists (patterns/ format)
    extra_patterns: tuple[str, ...] = ()   # paths of extra structured rule files
    max_file_mb: float = 200.0
    source: str | None = None             # the config file this came from

    def for_kind(self, kind: str) -> KindPolicy:
        if kind in self.kinds:
            return self.kinds[kind]
        return _default_kind_policy(kind)

    def threshold_for(self, kind: str) -> float:
        t = self.for_kind(kind).threshold
        return self.threshold if t is None else t

    def verdict_for(self, f: Finding) -> str:
        """What this finding means for the file: publish/info, redact or block."""
        kp = self.for_kind(f.kind)
        if kp.verdict == BY_VALUE:  # the disclosure attribute: 此件删减后公开 -> redact
            value = str(f.attrs.get("value", ""))
            return self.disclosure.get(value, BLOCK)  # unknown attribute: a person decides
        if f.kind == "official" and self.officials == "mask":
            return REDACT
        return kp.verdict

    def operator_for(self, f: Finding) -> str:
        if f.kind == "official" and self.officials == "mask" and "official" not in self.kinds:
            return "mask"
        return self.for_kind(f.kind).operator

    def hmac_key_bytes(self) -> bytes | None:
        key = self.hmac_key or os.environ.get("REDACTOR_HMAC_KEY")
        return key.encode() if key else None

    def is_allowed(self, value: str) -> bool:
        if value in self.allow:
            return True
        return any(regex.fullmatch(p, value) for p in self.allow_regex)

    def with_kinds(self, **kinds: KindPolicy) -> "Policy":
        merged = dict(self.kinds)
        merged.update(kinds)
        return replace(self, kinds=merged)

    # --- loading ---------------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str | None = None) -> "Policy":
        """Build a policy from plain data (a parsed TOML table); unknown keys are errors."""
        where = source or "<config>"

        def err(key: str, why: str) -> ConfigError:
            return ConfigError(f"key '{key}': {why}", path=where)

        known = {f for f in cls.__dataclass_fields__ if f not in ("kinds", "source")}
        kwargs: dict[str, Any] = {"source": source}
        for key, value in data.items():
            if key == "kinds":
                continue
            if key not in known:
                raise err(key, f"unknown key (known: {', '.join(sorted(known | {'kinds'}))})")
            default = getattr(cls(), key)
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise err(key, "must be a list of strings")
                value = tuple(value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise err(key, "must be true or false")
            elif isinstance(default, float):
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise err(key, "must be a number")
                value = float(value)
                if key == "threshold" and not 0.0 <= value <= 1.0:
                    raise err(key, f"must be between 0 and 1 (got {value:g})")
                if key == "max_file_mb" and value <= 0:
                    raise err(key, f"must be a positive number of megabytes (got {value:g})")
            elif key == "officials":
                if value not in ("keep", "mask"):
                    raise err(key, "must be 'keep' or 'mask'")
            elif key == "disclosure":
                if not isinstance(value, dict) or not all(v in (PUBLISH, REDACT, BLOCK) for v in value.values()):
                    raise err(key, "must map attribute values to publish/redact/block")
                value = {**DEFAULT_DISCLOSURE, **value}
            elif key == "hmac_key" and not isinstance(value, str):
                raise err(key, "must be a string")
            if key in ("allow_regex", "deny_regex"):
                for p in value:
                    try:
                        regex.compile(p)
                    except regex.error as e:
                        raise err(key, f"bad regular expression {p!r}: {e}") from None
            if key in ("sensitive_terms", "extra_patterns"):
                # Relative paths are relative to the config file, wherever redactor runs from.
                base = Path(source).parent if source else Path.cwd()
                resolved = []
                for item in value:
                    f = Path(item).expanduser()
                    f = f if f.is_absolute() else base / f
                    if not f.is_file():
                        raise err(key, f"file not found: {item!r} (looked for {f})")
                    resolved.append(str(f))
                value = tuple(resolved)
            kwargs[key] = value
        kinds: dict[str, KindPolicy] = {}
        if not isinstance(data.get("kinds") or {}, dict):
            raise err("kinds", "must be a table of kind -> {enabled, operator, verdict, threshold}")
        for kind, table in (data.get("kinds") or {}).items():
            if kind not in KINDS:
                raise err(f"kinds.{kind}", f"unknown kind (known: {', '.join(sorted(KINDS))})")
            if not isinstance(table, dict):
                raise err(f"kinds.{kind}", "must be a table")
            base = _default_kind_policy(kind)
            for k, v in table.items():
                full = f"kinds.{kind}.{k}"
                if k == "enabled" and not isinstance(v, bool):
                    raise err(full, "must be true or false")
                if k == "operator" and v not in OPERATOR_NAMES:
                    raise err(full, f"unknown operator {v!r} (known: {', '.join(OPERATOR_NAMES)})")
                if k == "verdict" and v not in (REDACT, BLOCK, INFO):
                    raise err(full, "must be redact, block or info")
                if k == "threshold" and (not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1):
                    raise err(full, "must be a number between 0 and 1")
                if k not in ("enabled", "operator", "verdict", "threshold"):
                    raise err(full, "unknown key (known: enabled, operator, verdict, threshold)")
            kinds[kind] = replace(base, **table)
        kwargs["kinds"] = kinds
        return cls(**kwargs)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "Policy":
        p = Path(path)
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("config file not found", path=str(p)) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"not valid TOML: {e}", path=str(p)) from None
        except OSError as e:  # a folder, no permission ...
            raise ConfigError(f"cannot read config file: {e.strerror or e}", path=str(p)) from None
        if p.name == "pyproject.toml":
            tool = raw.get("tool", {})
            raw = tool.get("redactor", {}) if isinstance(tool, dict) else {}
            if not isinstance(raw, dict):
                raise ConfigError("key 'tool.redactor': must be a table", path=str(p))
        return cls.from_mapping(raw, source=str(p))


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """Walk up from ``start`` (default: cwd) to find redactor.toml or a pyproject.toml with [tool.redactor]."""
    here = Path(start or os.getcwd()).resolve()
    for d in (here, *here.parents):
        cand = d / "redactor.toml"
        if cand.is_file():
            return cand
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                if "redactor" in tomllib.loads(py.read_text(encoding="utf-8")).get("tool", {}):
                    return py
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
    return None


def worst(verdicts: Iterable[str]) -> str:
    best = PUBLISH
    for v in verdicts:
        if VERDICT_ORDER[v] > VERDICT_ORDER[best]:
            best = v
    return best
