"""A message from the Qt-free core that a window can show in its own language: its English
text (a ``str``, what a terminal prints and a log keeps) that also carries the ``id`` of its
template and its ``args``, so that the window translates the template and fills it in,
never parsing the English back (the image loader's notes, the device's reasons)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

_M = TypeVar("_M", bound="Message")


class Message(str):
    #: id -> English template (``{0}``… its parameters), set by each kind of message
    TEMPLATES: ClassVar[dict[str, str]] = {}

    id: str
    args: tuple[object, ...]

    def __new__(cls: type[_M], id: str, *args: object) -> _M:
        message = super().__new__(cls, cls.TEMPLATES[id].format(*args))
        message.id, message.args = id, args
        return message

    def __getnewargs__(self) -> tuple[object, ...]:  # type: ignore[override]
        # copy, deepcopy (dataclasses.asdict) and pickle rebuild it from id and args
        return (self.id, *self.args)

    @property
    def template(self) -> str:
        return self.TEMPLATES[self.id]
