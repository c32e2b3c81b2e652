"""Before a real window opens on Linux, check the system libraries Qt's xcb plugin needs.

``make run`` calls this; it prints the one ``apt-get install`` line that fixes what is missing.
"""

import ctypes.util
import os
import sys

#: Library name (as ctypes finds it) -> Debian/Ubuntu package that ships it.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
}


def missing_packages() -> list[str]:
    """Debian packages whose libraries the xcb platform plugin needs but cannot find."""
    return [
        package for library, package in XCB_LIBRARIES.items() if ctypes.util.find_library(library) is None
    ]


def main() -> int:
    """Say what to install (or where to run) when a window on Linux could not open; 1 then."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform in ("offscreen", "minimal", "wayland", "vnc"):
        return 0
    status = 0
    missing = missing_packages()
    if missing:
        print("Qt needs system libraries that are missing. Install them with:", file=sys.stderr)
        print(f"  sudo apt-get install -y {' '.join(missing)}", file=sys.stderr)
        status = 1
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print(
            "No display found: run inside a desktop session (or under xvfb-run), "
            "or set QT_QPA_PLATFORM=offscreen.",
            file=sys.stderr,
        )
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
