-- Adding a point asks for the highest position in its meeting; this answers it from the
-- index however many points a meeting collects.
CREATE INDEX talking_point_meeting_position_idx ON talking_point (meeting_id, position);
