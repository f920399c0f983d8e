"""Parses an iCalendar file with two independent libraries and expands its recurrences.

    python check_ics.py FILE FROM TO

Fails (exit 1, reason on stderr) when `icalendar` reports any component error or when
`vobject` with validation on rejects the file. Prints JSON: the method, and the UTC start of
every occurrence from FROM to TO (ISO 8601) that is not cancelled, sorted, as expanded by
`recurring-ical-events`.
"""
import json
import sys
from datetime import datetime, timezone

import icalendar
import recurring_ical_events
import vobject


def main():
    path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
    raw = open(path, "rb").read()
    if b"\n" in raw.replace(b"\r\n", b""):
        sys.exit("a line does not end in CRLF")
    for line in raw.split(b"\r\n"):
        if len(line) > 75:
            sys.exit(f"a line is longer than 75 octets: {line[:40]!r}")
    cal = icalendar.Calendar.from_ical(raw)
    for c in cal.walk():
        if c.errors:
            sys.exit(f"icalendar: {c.name}: {c.errors}")
    v = vobject.readOne(raw.decode("utf-8"), validate=True)
    uids = [e.uid.value for e in v.vevent_list]
    begin = datetime.fromisoformat(start).astimezone(timezone.utc)
    finish = datetime.fromisoformat(end).astimezone(timezone.utc)
    starts = []
    for e in recurring_ical_events.of(cal).between(begin, finish):
        if str(e.get("STATUS", "")).upper() == "CANCELLED":
            continue
        starts.append(e["DTSTART"].dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    print(json.dumps({
        "method": str(cal.get("METHOD", "")),
        "uids": sorted(set(uids)),
        "summaries": sorted({str(e.get("SUMMARY")) for e in cal.walk("VEVENT")}),
        "urls": sorted({str(e.get("URL")) for e in cal.walk("VEVENT") if e.get("URL")}),
        "starts": sorted(starts),
    }))


if __name__ == "__main__":
    main()
