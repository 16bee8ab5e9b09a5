"""Bad lines in a CLI import (ICCID, IIN, passport): refused, and nothing
imported unless --skip-bad asks for the good rows.

As in test_bad_input.py, every refused request is checked for its status, the
problem's exact `code`, and a database snapshot equal before and after.
"""

import re

from bad_input_helpers import luhn_digit
from problem_asserts import assert_problem


# ------------------------------------------- ICCID, IIN, passport: CLI import


IMPORT_HEADER = ("operator,msisdn,iccid,imsi,kind,main_balance,holder_name,document_kind,"
                 "document_number,document_country,language")


def iccid(n):
    body = f"897701990000{n:06d}"
    return body + luhn_digit(body)


def bad_luhn(iccid_text):
    return iccid_text[:-1] + str((int(iccid_text[-1]) + 1) % 10)


def import_rows():
    """Rows 2..7 of the CSV (line numbers as in the file); 2 and 7 are good."""
    return [
        f"kcell,+77019990001,{iccid(1)},001019990000001,physical,100.00,GOOD ONE,iin,"
        "900101300017,KAZ,ru",
        f"kcell,+77019990002,{bad_luhn(iccid(2))},001019990000002,physical,0,BAD ICCID,iin,"
        "850615400016,KAZ,ru",
        f"kcell,+77019990003,{iccid(3)},001019990000003,esim,0,BAD IIN,iin,"
        "900101300016,KAZ,kk",
        f'kcell,+77019990004,{iccid(4)},001019990000004,physical,0,BAD PASSPORT,passport,'
        '"n12-345",GBR,en',
        f"kcell,+79161234567,{iccid(5)},001019990000005,physical,0,RUSSIAN NUMBER,iin,"
        "991231300013,KAZ,ru",
        f"kcell,+77019990006,{iccid(6)},001019990000006,physical,0,GOOD TWO,passport,"
        "N12345678,GBR,en",
    ]


def test_import_refuses_bad_iccid_iin_passport_and_imports_nothing(simexit_no_worker):
    s = simexit_no_worker
    csv = s.dir / "lines.csv"
    csv.write_text("\n".join([IMPORT_HEADER, *import_rows()]) + "\n")
    before = s.snapshot()
    result = s.cli("import", "lines", str(csv), check=False)
    assert result.returncode == 1, result
    out = result.stdout
    reported = dict(re.findall(r"^line (\d+): (.*)$", out, re.M))
    assert set(reported) == {"3", "4", "5", "6"}, out
    assert "Luhn" in reported["3"], out
    assert "IIN check digit" in reported["4"], out
    assert "document_number" in reported["5"], out
    assert "Russian" in reported["6"], out
    assert "4 bad row(s); nothing imported" in out, out
    assert s.snapshot() == before
    r = s.get("/v1/lines/+77019990001", token=s.keys["kcell"])
    assert_problem(r, 404, "line_not_found")


def test_import_skip_bad_imports_only_the_good_rows(simexit_no_worker):
    s = simexit_no_worker
    csv = s.dir / "lines.csv"
    csv.write_text("\n".join([IMPORT_HEADER, *import_rows()]) + "\n")
    lines_before = s.snapshot("lines")["lines"]
    result = s.cli("import", "lines", "--skip-bad", str(csv), check=False)
    assert result.returncode == 0, result
    assert "2 line(s) imported, 4 bad row(s) skipped" in result.stdout, result.stdout
    lines_after = s.snapshot("lines")["lines"]
    added = sorted(set(lines_after) - set(lines_before))
    assert set(lines_before) <= set(lines_after)
    assert [row[3] for row in added] == ["+77019990001", "+77019990006"], added
    r = s.get("/v1/lines/+77019990001", token=s.keys["kcell"])
    assert r.status == 200 and r.json["iccid"] == iccid(1), r
    for msisdn in ["+77019990002", "+77019990003", "+77019990004"]:
        assert_problem(s.get(f"/v1/lines/{msisdn}", token=s.keys["kcell"]), 404,
                       "line_not_found")


def test_import_skip_bad_with_only_bad_rows_exits_1(simexit_no_worker):
    s = simexit_no_worker
    csv = s.dir / "lines.csv"
    csv.write_text("\n".join([IMPORT_HEADER, *import_rows()[1:5]]) + "\n")
    before = s.snapshot()
    result = s.cli("import", "lines", "--skip-bad", str(csv), check=False)
    assert result.returncode == 1, result
    assert "0 line(s) imported, 4 bad row(s) skipped" in result.stdout, result.stdout
    assert s.snapshot() == before
