"""Reads every message an aiosmtpd Mailbox handler stored, with Python's strict e-mail parser.

    python read_maildir.py DIR

Prints JSON, one object per message: to, from, subject, message_id, the text and HTML parts,
and the text/calendar part (its method parameter, and whether icalendar and vobject with
validation accept it).
"""
import email
import email.policy
import json
import mailbox
import sys

import icalendar
import vobject


def main():
    out = []
    for key, raw in mailbox.Maildir(sys.argv[1], factory=None, create=False).items():
        msg = email.message_from_bytes(raw.as_bytes(), policy=email.policy.strict)
        item = {
            "to": msg["To"], "from": msg["From"], "subject": msg["Subject"],
            "message_id": msg["Message-ID"], "content_type": msg.get_content_type(),
            "text": None, "html": None, "calendar": None, "calendar_method": None, "calendar_valid": None,
        }
        for part in msg.walk():
            ct = part.get_content_type()
            if ct == "text/plain":
                item["text"] = part.get_content()
            elif ct == "text/html":
                item["html"] = part.get_content()
            elif ct == "text/calendar":
                ics = part.get_content()
                item["calendar"] = ics
                item["calendar_method"] = part.get_param("method")
                cal = icalendar.Calendar.from_ical(ics)
                errors = [c.errors for c in cal.walk() if c.errors]
                vobject.readOne(ics, validate=True)
                item["calendar_valid"] = not errors
        out.append(item)
    out.sort(key=lambda m: (m["subject"], m["to"]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
