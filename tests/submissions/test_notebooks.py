"""Notebooks read without running them: JSON within bounds, the nbformat schema, the
data inputs found in code cells, and the tables their outputs display."""

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.inputtransformer2 import TransformerManager

from submissions.validation import FAIL, PASS, WARNING, Finding, Limits, Location, notebooks
from submissions.validation.notebooks import check_notebook, code_inputs, json_depth
from tests.submissions.corpus.generate import html_output, notebook


def _write(tmp_path, document) -> object:
    path = tmp_path / "analysis.ipynb"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def _check(tmp_path, document, limits=None, progress=None):
    return check_notebook(_write(tmp_path, document), limits=limits or Limits(), progress=progress)


def _code(*sources: str) -> dict:
    return notebook([{"cell_type": "code", "source": source} for source in sources])


def _summary(report, check="notebook"):
    return [(f.outcome, f.message, f.location) for f in report.findings if f.check == check]


def test_check_notebook_valid_notebook_passes(tmp_path):
    report = _check(tmp_path, _code("x = 1", "y = 2"))

    assert _summary(report) == [(PASS, "A valid notebook of 2 cells.", Location())]
    assert _summary(report, "inputs") == [
        (PASS, "No data inputs were found in the code.", Location())
    ]
    assert report.facts == {"inputs": []}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"cells": [\n  {"a": 1,\n', "The notebook is not valid JSON (line 3, column 1)."),
        (
            "[" * 100_000 + "]" * 100_000,
            "The notebook's JSON is nested too deeply to be a notebook.",
        ),
        ("[" * 70 + "]" * 70, "The notebook's JSON is nested too deeply to be a notebook."),
        ('{"n": ' + "1" * 5000 + "}", "The notebook is not valid JSON."),
        ('{"cells": []}', "The file is JSON but not a notebook: it has no nbformat version."),
        ("[1, 2]", "The file is JSON but not a notebook: it has no nbformat version."),
        ('{"nbformat": 99, "cells": []}', "Notebook format version 99 is not one there is."),
    ],
    ids=[
        "cut-short",
        "deep-beyond-recursion",
        "deep",
        "huge-number",
        "no-version",
        "a-list",
        "version-99",
    ],
)
def test_check_notebook_unreadable_json_fails(tmp_path, text, message):
    report = _check(tmp_path, text)

    assert report.findings == [Finding("notebook", FAIL, message)]


def test_check_notebook_not_utf8_fails(tmp_path):
    path = tmp_path / "analysis.ipynb"
    path.write_bytes(b'{"nbformat": 4, "cells": ["\xff"]}')

    report = check_notebook(path, limits=Limits())

    assert report.findings == [Finding("notebook", FAIL, "The notebook is not UTF-8 text.")]


def test_check_notebook_over_the_size_bound_is_not_read(tmp_path):
    report = _check(tmp_path, _code("x = 1"), limits=Limits(max_notebook_bytes=2 * 1024 * 1024))
    big = _check(
        tmp_path, _code("x = '" + "a" * 3_000_000 + "'"), Limits(max_notebook_bytes=2 * 1024 * 1024)
    )

    assert report.outcome == PASS
    assert big.findings == [
        Finding(
            "notebook",
            FAIL,
            "The notebook is larger than 2 MB, the most that is read; clear its outputs and "
            "upload it again.",
        )
    ]


def test_check_notebook_schema_errors_name_their_cell(tmp_path):
    document = _code("x = 1", "y = 2")
    del document["cells"][1]["outputs"]
    del document["cells"][0]["id"]

    report = _check(tmp_path, document)

    assert [(outcome, location) for outcome, _, location in _summary(report)] == [
        (WARNING, Location(notebook_cell=1)),
        (FAIL, Location(notebook_cell=2)),
    ]
    assert _summary(report)[0][1] == "Not valid nbformat 4.5: cells/0 lacks the required id."
    assert "Not valid nbformat 4.5: cells/1 lacks the required outputs." in _summary(report)[1][1]


def test_check_notebook_metadata_errors_are_warnings(tmp_path):
    document = _code("x = 1")
    document["metadata"]["kernelspec"] = "python3"

    report = _check(tmp_path, document)

    assert [(outcome, location) for outcome, _, location in _summary(report)] == [
        (WARNING, Location())
    ]


def test_check_notebook_reads_an_old_version(tmp_path):
    document = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "analysis"},
        "worksheets": [
            {
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "code",
                        "input": "import pandas as pd\ndf = pd.read_csv('claimants.csv')",
                        "language": "python",
                        "metadata": {},
                        "outputs": [],
                    }
                ],
            }
        ],
    }

    report = _check(tmp_path, document)

    assert report.facts["inputs"] == [{"kind": "file", "value": "claimants.csv", "cell": 1}]
    assert _summary(report) == [(PASS, "A valid notebook of 1 cell.", Location())]


def test_check_notebook_lists_inputs_with_a_finding_each(tmp_path):
    document = _code(
        "import pandas as pd\ndf = pd.read_csv('data/claimants.csv')",
        "!wget https://data.example.org/parks.csv\n%run prepare.py",
    )
    document["cells"].insert(
        1, {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "See https://x.org"}
    )

    report = _check(tmp_path, document)

    assert report.facts["inputs"] == [
        {"kind": "file", "value": "data/claimants.csv", "cell": 1},
        {"kind": "command", "value": "wget https://data.example.org/parks.csv", "cell": 3},
        {"kind": "url", "value": "https://data.example.org/parks.csv", "cell": 3},
        {"kind": "file", "value": "parks.csv", "cell": 3},
        {"kind": "command", "value": "%run prepare.py", "cell": 3},
    ]
    assert _summary(report, "inputs") == [
        (PASS, "Reads the file data/claimants.csv.", Location(notebook_cell=1)),
        (
            WARNING,
            "Downloads data when the notebook runs (wget https://data.example.org/parks.csv); "
            "it cannot be checked here.",
            Location(notebook_cell=3),
        ),
        (PASS, "Reads the URL https://data.example.org/parks.csv.", Location(notebook_cell=3)),
        (PASS, "Reads the file parks.csv.", Location(notebook_cell=3)),
        (
            WARNING,
            "Runs another file when the notebook runs (%run prepare.py); what it reads is not "
            "seen here.",
            Location(notebook_cell=3),
        ),
    ]


def test_check_notebook_cell_that_does_not_parse_is_a_warning(tmp_path):
    document = _code("def broken(:\n    pass", "-" * 90_000 + "1", "open('a.csv')")

    report = _check(tmp_path, document)

    assert _summary(report, "inputs") == [
        (
            WARNING,
            "Cell 1 is not valid Python, so the data it reads could not be found.",
            Location(notebook_cell=1),
        ),
        (
            WARNING,
            "Cell 2 is not valid Python, so the data it reads could not be found.",
            Location(notebook_cell=2),
        ),
        (PASS, "Reads the file a.csv.", Location(notebook_cell=3)),
    ]


def test_check_notebook_lists_at_most_a_thousand_inputs(tmp_path):
    urls = " ".join(f"https://x.org/{n}.csv" for n in range(1200))

    report = _check(tmp_path, _code(f"URLS = '{urls}'"))

    assert len(report.facts["inputs"]) == 1000
    assert report.facts["inputs"][-1] == {
        "kind": "url",
        "value": "https://x.org/999.csv",
        "cell": 1,
    }
    assert [f for f in report.findings if f.outcome == WARNING] == [
        Finding(
            "inputs", WARNING, "The code reads more than 1,000 inputs; the rest are not listed."
        )
    ]


def test_check_notebook_cell_too_long_to_read_is_a_warning(tmp_path):
    report = _check(tmp_path, _code("x = 1\n" * 20_000, ""))

    assert _summary(report, "inputs") == [
        (WARNING, "The cell is too long to read for inputs.", Location(notebook_cell=1)),
        (PASS, "No data inputs were found in the code.", Location()),
    ]


def test_check_notebook_schema_message_says_where_and_what_without_the_value(tmp_path):
    document = _code("x = 1")
    document["cells"][0]["outputs"] = ["jane.doe@example.org " + "x" * 1000]

    report = _check(tmp_path, document)

    assert _summary(report) == [
        (
            FAIL,
            "Not valid nbformat 4.5: cells/0/outputs/0 is not of the type required (object).",
            Location(notebook_cell=1),
        )
    ]


def test_check_notebook_old_version_logs_no_value(tmp_path, caplog):
    cell = {
        "cell_type": "code",
        "input": "x",
        "language": "python",
        "outputs": [{"output_type": "pyout", "prompt_number": "jane.doe@example.org"}],
    }
    document = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [cell], "metadata": {}}],
    }

    report = _check(tmp_path, document)

    assert "jane.doe" not in caplog.text
    assert "jane.doe" not in json.dumps([f.message for f in report.findings])
    assert (
        FAIL,
        "Not valid nbformat 3.0: worksheets/0/cells/0/outputs/0/prompt_number is not of the "
        "type required (integer).",
        Location(),
    ) in _summary(report)


def test_check_notebook_without_cells_reports_progress_done(tmp_path):
    fractions = []

    _check(tmp_path, notebook([]), progress=fractions.append)

    assert fractions == [1.0]


def test_check_notebook_reports_progress_per_cell(tmp_path):
    fractions = []

    _check(tmp_path, _code("a = 1", "b = 2", "c = 3", "d = 4"), progress=fractions.append)

    assert fractions == [0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("pd.read_csv('a.csv', sep=';')", [("file", "a.csv")]),
        ("pandas.read_parquet(path='b.parquet')", [("file", "b.parquet")]),
        (
            "pd.read_excel('https://x.org/c.xlsx')",
            [("url", "https://x.org/c.xlsx")],
        ),
        ("np.loadtxt(fname='d.txt')", [("file", "d.txt")]),
        ("pd.read_csv(Path('data/k.csv'))", [("file", "data/k.csv")]),
        ("with open('e.json') as f:\n    json.load(f)", [("file", "e.json")]),
        ("open('out.csv', 'w').write(text)", []),
        ("open('log.txt', mode='a')", []),
        ("pd.read_sql('SELECT * FROM people', con)", []),
        ("pd.read_csv(path)\npd.read_csv(f'{folder}/a.csv')", []),
        ("URL = 'see https://x.org/data.csv.'", [("url", "https://x.org/data.csv")]),
        ("files = !ls data", []),
        (
            "!curl -O https://x.org/f.csv?token=1",
            [
                ("command", "curl -O https://x.org/f.csv?token="),
                ("url", "https://x.org/f.csv?token="),
                ("file", "f.csv"),
            ],
        ),
        (
            "!curl https://x.org/g.csv > g.csv",
            [("command", "curl https://x.org/g.csv > g.csv"), ("url", "https://x.org/g.csv")],
        ),
        (
            "!cd data && wget -O h.csv https://x.org/h",
            [
                ("command", "wget -O h.csv https://x.org/h"),
                ("url", "https://x.org/h"),
                ("file", "h.csv"),
            ],
        ),
        (
            "%%bash\nset -e\nwget --output-document=i.csv https://x.org/i\n",
            [
                ("command", "wget --output-document=i.csv https://x.org/i"),
                ("url", "https://x.org/i"),
                ("file", "i.csv"),
            ],
        ),
        (
            "%%capture\n!curl -o j.csv https://x.org/j\n",
            [
                ("command", "curl -o j.csv https://x.org/j"),
                ("url", "https://x.org/j"),
                ("file", "j.csv"),
            ],
        ),
        ("%run -i helpers.py", [("command", "%run -i helpers.py")]),
        ("%%capture\n%%capture\n!curl https://x.org/l\n", [("url", "https://x.org/l")]),
        (
            "!curl 'https://x.org/m -o m.csv",
            # An unclosed quote: the words split on spaces, the URL found in the string.
            [
                ("command", "curl 'https://x.org/m -o m.csv"),
                ("file", "m.csv"),
                ("url", "https://x.org/m"),
            ],
        ),
        ("%pip install pandas", []),
    ],
)
def test_code_inputs_finds_reads_urls_downloads_and_runs(source, expected):
    assert code_inputs(source) == expected


def test_code_inputs_invalid_python_raises_syntax_error():
    with pytest.raises(SyntaxError):
        code_inputs("def broken(:")


def test_json_depth_counts_nesting_without_recursion():
    assert json_depth({"a": [1, {"b": []}]}) == 4
    assert json_depth(1) == 0


def test_check_notebook_scans_displayed_tables_like_tables(tmp_path):
    frame = pd.DataFrame(
        {"area": ["Halton", "Sefton"], "claimants": [3, 2041], "contact": ["jo@example.org", ""]}
    )
    cells = [
        {"cell_type": "code", "source": "x = 1"},
        {"cell_type": "code", "source": "frame", "outputs": [html_output(frame)]},
    ]

    report = _check(tmp_path, notebook(cells))

    problems = [(f.check, f.outcome, f.location) for f in report.findings if f.outcome != PASS]
    assert sorted(problems, key=str) == [
        ("disclosure", WARNING, Location(row=1, column="claimants", notebook_cell=2)),
        ("personal_data", FAIL, Location(row=1, column="contact", notebook_cell=2)),
    ]
    assert all("jo@example.org" not in f.message for f in report.findings)


KEYS = ["cell_type", "source", "outputs", "output_type", "data", "text/html", "metadata", "id"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["code", "execute_result", "x"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    document=st.fixed_dictionaries(
        {
            "nbformat": st.sampled_from([1, 2, 3, 4]),
            "nbformat_minor": st.integers(0, 6),
            "cells": st.lists(JSON_VALUES, max_size=3),
            "worksheets": st.lists(JSON_VALUES, max_size=2),
            "metadata": JSON_VALUES,
        }
    )
)
def test_check_notebook_malformed_structure_gives_a_report(tmp_path, document):
    report = _check(tmp_path, document)

    assert report.outcome in (PASS, WARNING, FAIL)
    assert isinstance(report.facts.get("inputs", []), list)


def test_check_notebook_reads_many_shell_lines_each_on_its_own(tmp_path):
    # IPython's transformer gives up past 500 of them, and takes seconds for 300.
    source = "".join(f"!echo {number}\n" for number in range(600))
    source += "if True:\n    !wget https://x.org/a.csv\n"

    report = _check(tmp_path, _code(source))

    assert report.facts["inputs"] == [
        {"kind": "command", "value": "wget https://x.org/a.csv", "cell": 1},
        {"kind": "url", "value": "https://x.org/a.csv", "cell": 1},
        {"kind": "file", "value": "a.csv", "cell": 1},
    ]


def test_check_notebook_transformer_giving_up_is_a_warning_naming_the_cell(tmp_path, monkeypatch):
    def give_up(self, lines):
        raise RuntimeError("Input transformation still changing after 500 iterations.")

    monkeypatch.setattr(TransformerManager, "do_token_transforms", give_up)

    report = _check(tmp_path, _code("!ls"))

    assert _summary(report, "inputs") == [
        (
            WARNING,
            "Cell 1's IPython syntax could not be read, so the data it reads could not be found.",
            Location(notebook_cell=1),
        ),
        (PASS, "No data inputs were found in the code.", Location()),
    ]


def _tables_output(count: int) -> dict:
    table = "<table><tr><th>area</th><th>people</th></tr><tr><td>Halton</td><td>3</td></tr></table>"
    return {
        "output_type": "display_data",
        "data": {"text/html": table * count},
        "metadata": {},
    }


def test_check_notebook_checks_a_bounded_number_of_displayed_tables(tmp_path):
    document = _code(*["x"] * 7)
    for cell in document["cells"][:6]:
        cell["outputs"] = [_tables_output(2_000)]  # 20 tables of each output are read

    report = _check(tmp_path, document)

    disclosure = [f for f in report.findings if f.check == "disclosure"]
    assert len(disclosure) == 50
    assert report.facts["omitted"] == {"disclosure": 100}  # 50 cells and their summaries
    assert _summary(report)[-1] == (
        WARNING,
        "The notebook displays more than 100 tables; those from cell 6 on were not checked.",
        Location(notebook_cell=6),
    )


def test_check_notebook_missing_cell_id_does_not_hide_the_cells_other_errors(tmp_path):
    document = _code("x = 1")
    cell = document["cells"][0]
    del cell["id"]
    cell["source"] = 5

    report = _check(tmp_path, document)

    assert _summary(report) == [
        (
            WARNING,
            "Not valid nbformat 4.5: cells/0 lacks the required id.",
            Location(notebook_cell=1),
        ),
        (
            FAIL,
            "Not valid nbformat 4.5: cells/0/source matches none of the shapes allowed.",
            Location(notebook_cell=1),
        ),
    ]


def test_code_inputs_leave_out_credentials():
    source = (
        "!curl -H 'Authorization: Bearer tok' -u bob:pw --header=X-Key:1 "
        "'https://analyst:hunter2@data.example.org/a.csv?api_key=SECRET123&year=2020' -o a.csv\n"
        "pd.read_csv('https://x.org/b.csv?token=abc&page=2')\n"
    )

    assert code_inputs(source) == [
        ("command", "curl https://data.example.org/a.csv?api_key=&year=2020 -o a.csv"),
        ("url", "https://data.example.org/a.csv?api_key=&year=2020"),
        ("file", "a.csv"),
        ("url", "https://x.org/b.csv?token=&page=2"),
    ]


def test_check_notebook_memory_error_reaches_the_caller(tmp_path, monkeypatch):
    def fail(source):
        raise MemoryError

    monkeypatch.setattr(notebooks, "ipython_to_python", fail)

    with pytest.raises(MemoryError):
        _check(tmp_path, _code("x = 1"))
