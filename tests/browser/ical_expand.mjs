// Expands an iCalendar file with Mozilla's ical.js, independently of rapport:
//
//   node ical_expand.mjs FILE FROM TO
//
// Prints JSON: the UTC start (ISO 8601, seconds) of every occurrence from FROM to TO that
// is not cancelled, sorted. Moved occurrences (RECURRENCE-ID overrides) and EXDATEs apply.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file, from, to] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
for (const vtz of root.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const begin = new Date(from);
const end = new Date(to);
const events = root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
const masters = events.filter((e) => !e.isRecurrenceException());
for (const e of events.filter((e) => e.isRecurrenceException())) {
  const master = masters.find((m) => m.uid === e.uid);
  if (master) master.relateException(e);
}
const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const starts = [];
for (const m of masters) {
  if (!m.isRecurring()) {
    const s = m.startDate.toJSDate();
    if (s >= begin && s < end && m.component.getFirstPropertyValue('status') !== 'CANCELLED') starts.push(iso(s));
    continue;
  }
  const it = m.iterator();
  for (let next = it.next(); next; next = it.next()) {
    const d = m.getOccurrenceDetails(next);
    const s = d.startDate.toJSDate();
    if (next.toJSDate() >= end && s >= end) break;
    if (s < begin || s >= end) continue;
    if (d.item.component.getFirstPropertyValue('status') === 'CANCELLED') continue;
    starts.push(iso(s));
  }
}
starts.sort();
console.log(JSON.stringify({ starts }));
