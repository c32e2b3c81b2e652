"""JSON the CLI prints is valid and carries no character a terminal could act on."""

import json

from app.cli.curator import json_text


def test_json_output_escapes_c1_controls_and_line_separators_and_reads_back():
    data = {"name": "Csi \x9b31m, line\u2028break, Đurđevo, Пупин", "n": [1, 2.5, None]}
    text = json_text(data)
    assert not any("\x80" <= ch <= "\x9f" or ch in "\u2028\u2029" for ch in text)
    assert "Đurđevo" in text and "Пупин" in text  # readable, not \\u-escaped
    assert json.loads(text) == data
