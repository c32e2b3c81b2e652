"""A tour operator's branding, kept in the user's data folder and carried by PDF and HTML exports."""

import json
from dataclasses import dataclass
from pathlib import Path

from maps.exports.output import ExportError, write_atomically


@dataclass(frozen=True)
class OperatorProfile:
    """A tour operator's branding, carried by PDF and HTML exports."""

    name: str = ""
    contact: str = ""
    footer: str = ""
    logo: str | None = None  # path to a PNG or JPEG

    @classmethod
    def load(cls, path: str | Path) -> "OperatorProfile":
        """Read a profile from a JSON object with the keys name, contact, footer (text) and logo
        (a PNG or JPEG file, its path relative to the profile's folder or absolute).

        Anything else is refused with an ExportError that names the file and what is wrong
        in one line: not JSON, not an object, an unknown key, a value that is not text, a
        logo that is missing or not an image.
        """
        path = Path(path)
        where = f"Operator profile {path}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ExportError(f"{where}: cannot be read ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise ExportError(f"{where}: cannot be read (it is not UTF-8 text)") from None
        except (json.JSONDecodeError, RecursionError) as error:
            detail = (
                f"line {error.lineno}: {error.msg}"
                if isinstance(error, json.JSONDecodeError)
                else "nested too deep"
            )
            raise ExportError(f"{where}: cannot be read (it is not JSON: {detail})") from None
        if not isinstance(data, dict):
            raise ExportError(f"{where}: must be a JSON object with {_KEYS_TEXT}, not {_kind(data)}")
        unknown = sorted(str(key) for key in data if key not in _KEYS)
        if unknown:
            raise ExportError(
                f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; a profile has {_KEYS_TEXT}"
            )
        for key in _KEYS:
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise ExportError(f"{where}: {key!r} must be text, not {_kind(value)}")
        logo = data.get("logo") or None
        if logo:
            logo = str(path.parent / logo)  # an absolute path stays as it is
            problem = logo_problem(logo)
            if problem:
                raise ExportError(f"{where}: the logo {logo} {problem}")
        return cls(data.get("name") or "", data.get("contact") or "", data.get("footer") or "", logo)


#: The keys of a profile file, in the order they are told.
_KEYS = ("name", "contact", "footer", "logo")
_KEYS_TEXT = "the keys name, contact, footer and logo"


def _kind(value) -> str:
    """A JSON value's kind in words: "a list", "a number"..."""
    kinds = {dict: "an object", list: "a list", bool: "true or false", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), "text")


def logo_problem(path: str | Path) -> str | None:
    """What keeps a file from being the booklet's logo ("does not exist", "is not an image
    ..."), or None when it is an image the PDF writer reads."""
    from reportlab.lib.utils import ImageReader

    path = Path(path)
    if not path.exists():
        return "does not exist"
    if not path.is_file():
        return "is not a file"
    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception:  # whatever the image decoder finds wrong, the file is no usable image
        return "is not an image the booklet can show (use a PNG or JPEG)"
    if width < 1 or height < 1:
        return "is an empty image"
    return None


def default_profile() -> OperatorProfile:
    """The operator profile saved in the user's data folder, or an empty one."""
    from sites import paths

    path = paths.operator_profile_path()
    return OperatorProfile.load(path) if path.exists() else OperatorProfile()


def save_profile(profile: OperatorProfile) -> Path:
    """Keep an operator profile in the user's data folder for every later export."""
    from dataclasses import asdict

    from sites import paths

    path = paths.operator_profile_path()
    write_atomically(path, json.dumps(asdict(profile), ensure_ascii=False, indent=2) + "\n")
    return path
