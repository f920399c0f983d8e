-- Issue 14: when a person last looked at a coming 1:1 of a series (its meeting page or its prep
-- page), so the home can say which of the other person's topics are new since. Written only
-- when the other person added a topic after the mark, never on every view. Kept in step with
-- ../postgres/0017_topics_seen.sql (only the column types differ).
CREATE TABLE topics_seen (
    person_id  BLOB NOT NULL REFERENCES person(id),
    series_id  BLOB NOT NULL REFERENCES series(id),
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (person_id, series_id)
);
