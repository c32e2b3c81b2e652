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
        """Read a profile from a JSON file with the keys name, contact, footer and logo."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            profile = cls(
                name=data.get("name", ""),
                contact=data.get("contact", ""),
                footer=data.get("footer", ""),
                logo=data.get("logo") or None,
            )
        except (OSError, json.JSONDecodeError, TypeError, AttributeError) as error:
            raise ExportError(f"Operator profile {path}: cannot be read ({error})") from None
        if profile.logo and not Path(profile.logo).is_absolute():
            profile = OperatorProfile(
                profile.name, profile.contact, profile.footer, str(path.parent / profile.logo)
            )
        if profile.logo and not Path(profile.logo).exists():
            raise ExportError(f"Operator profile {path}: the logo {profile.logo} does not exist")
        return profile


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
