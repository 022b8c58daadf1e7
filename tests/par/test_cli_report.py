"""`cchc par report` and `cchc par chart`: the documents and images a results office files."""

import zipfile

from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()


def test_report_writes_a_word_file_with_the_seed_sentence(tmp_path):
    out = tmp_path / "bao_cao.docx"
    result = runner.invoke(app, ["par", "report", "--demo", "--unit", "HNH", "--output", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "88,41/100" in body
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert oct(out.stat().st_mode & 0o777) != oct(0o600), "finished files follow the umask"


def test_chart_writes_an_svg_with_decimal_commas(tmp_path):
    out = tmp_path / "xep_hang.svg"
    result = runner.invoke(app, ["par", "chart", "--demo", "--unit", "HNH", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "88,41" in out.read_text(encoding="utf-8")


def test_unknown_unit_and_format_exit_2_and_write_nothing(tmp_path):
    bad_unit = runner.invoke(app, ["par", "report", "--demo", "--unit", "XXX", "--output", str(tmp_path / "a.docx")])
    assert bad_unit.exit_code == 2 and "XXX" in bad_unit.output
    bad_format = runner.invoke(app, ["par", "report", "--demo", "--output", str(tmp_path / "a.txt")])
    assert bad_format.exit_code == 2
    bad_chart = runner.invoke(app, ["par", "chart", "--demo", "--output", str(tmp_path / "a.gif")])
    assert bad_chart.exit_code == 2
    assert list(tmp_path.iterdir()) == []
