"""Tables a notebook displays, read back from its outputs: pandas' HTML and CSV outputs,
within bounds; images and streams untouched."""

import pandas as pd
import pytest

from submissions.validation.notebook_outputs import csv_tables, html_tables, output_tables
from tests.submissions.corpus.generate import html_output


def test_output_tables_reads_pandas_html():
    frame = pd.DataFrame({"area": ["Halton", "Sefton"], "claimants": [3, 2041]})

    assert output_tables([html_output(frame)], max_rows=100) == [
        (["", "area", "claimants"], [["0", "Halton", "3"], ["1", "Sefton", "2041"]])
    ]


def test_output_tables_merges_a_named_index_into_the_header():
    frame = pd.DataFrame({"claimants": [3]}, index=pd.Index(["Halton"], name="area"))

    assert output_tables([html_output(frame)], max_rows=100) == [
        (["area", "claimants"], [["Halton", "3"]])
    ]


def test_output_tables_keeps_at_most_max_rows():
    frame = pd.DataFrame({"n": range(10)})

    [(header, rows)] = output_tables([html_output(frame)], max_rows=4)

    assert (header, rows) == (["", "n"], [["0", "0"], ["1", "1"], ["2", "2"], ["3", "3"]])


def test_output_tables_ignores_images_streams_and_malformed_outputs():
    outputs = [
        {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo" * 1000}},
        {"output_type": "stream", "name": "stdout", "text": "<table><tr><td>1</td></tr></table>"},
        {"output_type": "execute_result", "data": ["not", "a", "bundle"]},
        "not an output",
    ]

    assert output_tables(outputs, max_rows=10) == []
    assert output_tables(None, max_rows=10) == []


def test_html_tables_reads_spans_nested_tables_and_unclosed_markup():
    html = (
        "<table><tr><th colspan='2'>place</th><th>n</th></tr>"
        "<tr><td>Halton</td><td>Widnes</td><td>3<table><tr><td>inner</td></tr></table></td></tr>"
        "<tr><td>Sefton"
    )

    assert html_tables(html, max_rows=10) == [
        (["place", "place", "n"], [["Halton", "Widnes", "3"], ["Sefton", "", ""]])
    ]


def test_output_tables_reads_a_csv_output():
    output = {"output_type": "display_data", "data": {"text/csv": ["area,n\n", "Halton,3\n"]}}

    assert output_tables([output], max_rows=10) == [(["area", "n"], [["Halton", "3"]])]


def test_csv_tables_unreadable_csv_is_no_table():
    assert csv_tables("area,n\nHal\rton,3\n", max_rows=10) == []  # a lone carriage return


def test_csv_tables_reads_a_csv_output():
    assert csv_tables("area,n\nHalton,3\n", max_rows=10) == [(["area", "n"], [["Halton", "3"]])]
    assert csv_tables("area,n\n", max_rows=10) == []


TABLE = "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>x</p><table><![<![<tr><th>a</th></tr><tr><td>1</td></tr></table>",  # asserted
        "<!--" * 40_000 + TABLE,  # took a minute: each comment searched to the end
        TABLE.replace("<tr>", "<?" * 40_000 + "<tr>", 1),
        "<table><!-- a comment --><tr><th>a</th></tr><tr><td>1</td></tr></table><p>x",
    ],
)
def test_html_tables_reads_past_declarations_html_parser_cannot_bear(html):
    assert html_tables(html, max_rows=5) == [(["a"], [["1"]])]
