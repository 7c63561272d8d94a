"""Reading what a client sends to reconciliation and search, strictly.

Text that is not UTF-8 (in the query string, a form body or a JSON body) is a 400, not silently replaced, and
neither is JSON whose strings hold a lone surrogate (``"\\ud800"``, valid JSON syntax, but no character: it could
not even be written back in a response or an error message, which made it a 500 further on). JSON nested past
Python's recursion limit, non-finite numbers (``NaN``, ``1e999``) and integers too long to be a number (past
:data:`MAX_INT_DIGITS` digits) are 400s too. Every such 400 is in the one error shape, with the code ``not-utf8``
or ``bad-json``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from fastapi import Request

from ..middleware.httplimits import form_pairs
from ..responses import ProtocolError

__all__ = ["MAX_INT_DIGITS", "first", "form_params", "parse_json", "query_params"]

MAX_INT_DIGITS = 300  # any longer and it does not fit a double
_SURROGATE = re.compile("[\ud800-\udfff]")

Params = dict[str, list[str]]


def query_params(request: Request) -> Params:
    """The query string's parameters, decoded as UTF-8 strictly (Starlette would replace what does not decode)."""
    return _pairs(request.scope.get("query_string", b""), "the query string")


def form_params(body: bytes) -> Params:
    """An ``application/x-www-form-urlencoded`` body's parameters, decoded as UTF-8 strictly."""
    return _pairs(body, "the form body")


def first(params: Params, name: str, default: str | None = None) -> str | None:
    """The parameter's last value (the one that wins, as in a dict of the pairs), or ``default``."""
    values = params.get(name)
    return values[-1] if values else default


def _pairs(raw: bytes, where: str) -> Params:
    """The pairs of ``a=1&b=2``, decoded by the rule every endpoint shares (:func:`.httplimits.form_pairs`)."""
    out: Params = {}
    for key, value in form_pairs(raw, where.removeprefix("the ")):
        out.setdefault(key, []).append(value)
    return out


def parse_json(data: str | bytes, what: str, hint: str | None = None) -> Any:
    """``data`` parsed as JSON, or a 400 that says why not (the module docstring lists what is refused)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, "not-utf8", f"{what} is not valid UTF-8 (byte {exc.start})", hint) from None
    try:
        value = json.loads(data, parse_int=_integer, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise ProtocolError(400, "bad-json", f"{what} is nested too deeply", hint) from None
    except ValueError as exc:  # JSONDecodeError, and the refusals of the hooks
        raise ProtocolError(400, "bad-json", f"{what} is not JSON: {exc}", hint) from None
    _no_surrogates(value, what)
    return value


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of more than {MAX_INT_DIGITS} digits")
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _no_surrogates(value: Any, what: str) -> None:
    stack = [value]  # a loop, not recursion: the depth is the client's
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            m = _SURROGATE.search(v)
            if m:
                raise ProtocolError(400, "bad-json", f"{what} holds a lone surrogate (\\u{ord(m.group()):04x}), which is "
                                                     "not a character", "send text as UTF-8, or escape characters "
                                                     "outside the Basic Multilingual Plane as surrogate pairs")
        elif isinstance(v, dict):
            stack.extend(v)
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
